import type { ContentBlockParam, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';

/** A `tool_use` block the model asked for, its input parsed. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/**
 * The assistant turn as content blocks, rebuilt from stream events, so a tool-use turn can be
 * sent back verbatim (thinking blocks with their signature included, as the API requires).
 */
export class AssistantBlocks {
  private readonly blocks: (ContentBlockParam & { partialJson?: string })[] = [];

  apply(event: RawMessageStreamEvent): void {
    if (event.type === 'content_block_start') this.start(event.index, event.content_block as unknown as Record<string, unknown>);
    else if (event.type === 'content_block_delta') this.delta(event.index, event.delta as unknown as Record<string, unknown>);
    else if (event.type === 'content_block_stop') this.stop(event.index);
  }

  private start(index: number, block: Record<string, unknown>): void {
    if (block.type === 'text') this.blocks[index] = { type: 'text', text: String(block.text ?? '') };
    else if (block.type === 'thinking')
      this.blocks[index] = { type: 'thinking', thinking: String(block.thinking ?? ''), signature: String(block.signature ?? '') };
    else if (block.type === 'redacted_thinking') this.blocks[index] = { type: 'redacted_thinking', data: String(block.data ?? '') };
    else if (block.type === 'tool_use') this.blocks[index] = { type: 'tool_use', id: String(block.id), name: String(block.name), input: {}, partialJson: '' };
  }

  private delta(index: number, delta: Record<string, unknown>): void {
    const block = this.blocks[index];
    if (!block) return;
    if (block.type === 'text' && delta.type === 'text_delta') block.text += String(delta.text ?? '');
    else if (block.type === 'thinking' && delta.type === 'thinking_delta') block.thinking += String(delta.thinking ?? '');
    else if (block.type === 'thinking' && delta.type === 'signature_delta') block.signature += String(delta.signature ?? '');
    else if (block.type === 'tool_use' && delta.type === 'input_json_delta') block.partialJson += String(delta.partial_json ?? '');
  }

  private stop(index: number): void {
    const block = this.blocks[index];
    if (block?.type !== 'tool_use') return;
    block.input = parseInput(block.partialJson ?? '');
    delete block.partialJson;
  }

  /** The turn to send back: every block but empty text ones (the API rejects those). */
  content(): ContentBlockParam[] {
    return this.blocks.filter((b) => b && !(b.type === 'text' && b.text === ''));
  }

  toolCalls(): ToolCall[] {
    return this.blocks.flatMap((b) => (b?.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : []));
  }
}

function parseInput(json: string): unknown {
  if (!json.trim()) return {};
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

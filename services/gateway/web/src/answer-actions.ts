import { el } from './dom';

export interface AnswerActions {
  /** The answer's Markdown, copied as is. */
  copyText?: string;
  /** Asks the same question again (a failed or interrupted answer). */
  retry?: () => void;
}

/** The buttons under an answer: "Copier" when there is text, "Réessayer" when it failed or was stopped. */
export function answerActions({ copyText, retry }: AnswerActions): HTMLElement | null {
  const buttons: HTMLElement[] = [];
  if (copyText) buttons.push(copyButton(copyText));
  if (retry) buttons.push(button('Réessayer', 'Poser la même question à nouveau', retry));
  return buttons.length ? el('div', { className: 'answer-actions', attrs: { role: 'group', 'aria-label': 'Actions sur la réponse' } }, buttons) : null;
}

function button(text: string, title: string, onClick: (button: HTMLButtonElement) => void): HTMLButtonElement {
  const node = el('button', { className: 'button button--ghost', text, attrs: { type: 'button', title } });
  node.addEventListener('click', () => onClick(node));
  return node;
}

function copyButton(text: string): HTMLButtonElement {
  return button('Copier', 'Copier la réponse (Markdown)', async (node) => {
    const copied = await copyToClipboard(text);
    node.textContent = copied ? 'Copié' : 'Copie impossible';
    setTimeout(() => (node.textContent = 'Copier'), 1500);
  });
}

/** The Clipboard API exists only in secure contexts (https, localhost); elsewhere, the old way. */
async function copyToClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // refused (permissions): try the old way
  }
  const area = el('textarea', { className: 'visually-hidden', attrs: { readonly: '', 'aria-hidden': 'true' } });
  area.value = text;
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  return copied;
}

/**
 * Test helpers of `@koda/llm`: a local server speaking the Anthropic Messages API, for tests that
 * run the real `@anthropic-ai/sdk` (and KODA's `anthropic` provider) with no key and no network.
 */
export {
  echoResponder,
  FakeAnthropicServer,
  lastToolResults,
  lastUserText,
  type FakeAnthropicServerOptions,
  type RecordedRequest,
  type Responder,
} from './fake-anthropic-server';
export {
  scenarios,
  type CutScenario,
  type DisconnectScenario,
  type FakeScenario,
  type HttpErrorScenario,
  type StallScenario,
  type StreamErrorScenario,
  type TextScenario,
  type ToolUseScenario,
} from './fake-anthropic-scenarios';

import type { ChatMessage } from '@switchboard/spec';
import { textOf } from './message-text';

/** One turn of a conversation written as plain text. */
export interface TextTurn {
  role: 'system' | 'user' | 'assistant';
  text: string;
}

export interface TextTurns {
  turns: TextTurn[];
  /** Image, audio and file parts, which a text prompt cannot carry. */
  droppedParts: number;
  /** Tool calls of earlier assistant messages; their results stay, as user text. */
  droppedToolCalls: number;
}

export interface TextTurnsOptions {
  /** Keep assistant messages without text (e.g. only tool calls) as empty turns instead of leaving them out. */
  keepEmptyAssistant?: boolean;
  /** Introduce a legacy `function` message's result with the function's name rather than `Tool result:`. */
  namedFunctionResults?: boolean;
}

/**
 * A chat as turns of plain text for a model that reads a prompt, one turn a message in order:
 * system and developer messages are `system` turns, tool and function results `user` turns that
 * start with `Tool result:`. Only text survives; what is dropped is counted for the caller's warnings.
 */
export function toTextTurns(messages: readonly ChatMessage[], options: TextTurnsOptions = {}): TextTurns {
  const turns: TextTurn[] = [];
  let droppedParts = 0;
  let droppedToolCalls = 0;
  for (const message of messages) {
    if (Array.isArray(message.content)) droppedParts += message.content.filter((part) => part.type !== 'text').length;
    const text = textOf(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        turns.push({ role: 'system', text });
        break;
      case 'assistant':
        droppedToolCalls += message.tool_calls?.length ?? 0;
        if (text || options.keepEmptyAssistant) turns.push({ role: 'assistant', text });
        break;
      case 'tool':
        turns.push({ role: 'user', text: `Tool result: ${text}` });
        break;
      case 'function':
        turns.push({ role: 'user', text: `${options.namedFunctionResults ? message.name : 'Tool'} result: ${text}` });
        break;
      default:
        turns.push({ role: 'user', text });
    }
  }
  return { turns, droppedParts, droppedToolCalls };
}

/**
 * Turns for an API whose user and assistant turns must alternate: the system turns joined into one
 * that comes first, then consecutive turns of one role joined, a blank line between their texts.
 */
export function mergeTextTurns(turns: readonly TextTurn[]): TextTurn[] {
  const system = turns.filter((turn) => turn.role === 'system').map((turn) => turn.text);
  const merged: TextTurn[] = system.length ? [{ role: 'system', text: system.join('\n\n') }] : [];
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    const last = merged.at(-1);
    if (last?.role === turn.role) last.text = `${last.text}\n\n${turn.text}`;
    else merged.push({ ...turn });
  }
  return merged;
}

const labels: Record<TextTurn['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

/**
 * The turns as a transcript: `System:` / `User:` / `Assistant:` turns separated by blank lines,
 * ending with `Assistant:` for the model to go on from.
 */
export function textTranscript(turns: readonly TextTurn[]): string {
  return [...turns.map((turn) => `${labels[turn.role]}: ${turn.text}`), 'Assistant:'].join('\n\n');
}

import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { LIMITS } from '../limits';
import { ChatRequestDto } from './chat-request.dto';

const badFields = (body: object) => validateSync(plainToInstance(ChatRequestDto, body)).map((e) => e.property);

describe('ChatRequestDto', () => {
  it('accepts a message with or without mode and session', () => {
    expect(badFields({ message: 'hello' })).toEqual([]);
    expect(badFields({ message: 'hello', mode: 'discussion', session_id: 'abc-123' })).toEqual([]);
  });
  it('names each bad field', () => {
    expect(badFields({})).toEqual(['message']);
    expect(badFields({ message: ' ' })).toEqual(['message']);
    expect(badFields({ message: 'x'.repeat(LIMITS.messageMaxChars + 1) })).toEqual(['message']);
    expect(badFields({ message: 'x', mode: 'bard' })).toEqual(['mode']);
    expect(badFields({ message: 'x', session_id: '../etc' })).toEqual(['session_id']);
  });
});

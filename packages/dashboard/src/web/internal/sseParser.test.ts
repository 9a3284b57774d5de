import { describe, expect, it } from 'vitest';
import { SseParser } from './sseParser.js';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with ids, comments and multi-line data', () => {
    const text = ': hi\nretry: 2000\n\nid: 7\nevent: alert\ndata: {"a":\ndata: 1}\n\nevent: stats\r\ndata: x\r\n\r\ndata: plain\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      expect(out).toEqual([
        { event: 'alert', data: '{"a":\n1}', id: '7' },
        { event: 'stats', data: 'x', id: '7' },
        { event: 'message', data: 'plain', id: '7' },
      ]);
      expect(p.retry).toBe(2000);
    }
  });

  it('drops an event with no data and keeps an unfinished one for later', () => {
    const p = new SseParser();
    expect(p.push('event: x\n\ndata: a')).toEqual([]);
    expect(p.push('\n\n')).toEqual([{ event: 'message', data: 'a', id: null }]);
  });
});

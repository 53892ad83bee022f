/** The logger: JSON lines for collectors, readable lines for a person at a terminal, the token redacted in both. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object per line when not pretty', () => {
    const out = sink();
    const logger = createLogger('info', { pretty: false, destination: out.stream });
    logger.info({ outcome: 'answered', token: 'secret-token' }, 'interaction handled');
    logger.flush();
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'interaction handled', outcome: 'answered', token: '[redacted]' });
  });

  it('writes readable lines, not JSON, when pretty (as on a terminal)', () => {
    const out = sink();
    const logger = createLogger('info', { pretty: true, destination: out.stream });
    logger.info({ outcome: 'declined', token: 'secret-token' }, 'interaction handled');
    const text = out.text();
    expect(text).toMatch(/INFO.*interaction handled/);
    expect(text).toContain('outcome: "declined"');
    expect(text).not.toContain('secret-token');
    expect(() => JSON.parse(text.trim())).toThrow();
  });
});

/**
 * The local SMS provider: messages go to an outbox (memory, and a JSON-lines file in the data
 * directory, with the number masked), readable at GET /dev/outbox. Like a real provider it does not deduplicate; unlike
 * one, it can say whether a message with a given key was accepted, which lets the sender recover
 * an attempt that crashed before the provider saw it.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { OutboundSms, SmsProvider } from '../app/ports';
import { maskPhone } from '../shared/privacy';

export interface OutboxEntry {
  channel: 'sms';
  to: string;
  body: string;
  segments: number;
  campaignId?: string;
  invitationId?: string;
  sentAt: string;
  messageId: string;
  idempotencyKey: string;
}

export class LocalOutbox implements SmsProvider {
  readonly entries: OutboxEntry[] = [];

  /** Called for every accepted message: the local stand-in for a provider's delivery receipt. */
  onDelivered: ((entry: OutboxEntry) => Promise<void>) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.entries.push(JSON.parse(line) as OutboxEntry);
    }
  }

  async send(message: OutboundSms): Promise<{ messageId: string }> {
    const entry: OutboxEntry = {
      channel: 'sms',
      to: message.to,
      body: message.body,
      segments: message.segments,
      ...(message.campaignId ? { campaignId: message.campaignId } : {}),
      ...(message.invitationId ? { invitationId: message.invitationId } : {}),
      sentAt: this.clock.now().toISOString(),
      messageId: randomUUID(),
      idempotencyKey: message.idempotencyKey,
    };
    this.entries.push(entry);
    // The file keeps the number masked: only this process's outbox (GET /dev/outbox, admins) needs it whole.
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ ...entry, to: maskPhone(entry.to) })}\n`);
    await this.onDelivered?.(entry);
    return { messageId: entry.messageId };
  }

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return this.entries.some((entry) => entry.idempotencyKey === idempotencyKey);
  }

  /** A person's erasure: their messages leave memory and the file (rewritten whole, as it is small and local). */
  async forget(match: { to: ReadonlySet<string>; invitationIds: ReadonlySet<string> }): Promise<number> {
    const forgotten = (entry: OutboxEntry) => match.to.has(entry.to) || (entry.invitationId !== undefined && match.invitationIds.has(entry.invitationId));
    const before = this.entries.length;
    const kept = this.entries.filter((entry) => !forgotten(entry));
    if (kept.length === before) return 0;
    this.entries.splice(0, before, ...kept);
    if (this.file) writeFileSync(this.file, kept.map((entry) => `${JSON.stringify({ ...entry, to: maskPhone(entry.to) })}\n`).join(''));
    return before - kept.length;
  }

  /** The number the latest message of an invitation went to (the console's reply box answers by invitation). */
  numberOf(invitationId: string): string | undefined {
    return this.entries.findLast((entry) => entry.invitationId === invitationId)?.to;
  }

  /** The GET /dev/outbox view (the contract's fields). */
  list(channel?: string): Omit<OutboxEntry, 'messageId' | 'idempotencyKey' | 'channel'>[] {
    return this.entries
      .filter((entry) => !channel || entry.channel === channel)
      .map(({ to, body, segments, campaignId, invitationId, sentAt }) => ({ to, body, segments, campaignId, invitationId, sentAt }));
  }
}

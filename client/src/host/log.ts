// The extension's one log: an output channel where every line goes through redact(), plus an audit trail of
// issue/rotate/revoke that names the token by id and never by value. The last lines are kept in memory for the
// integration tests (they are redacted already, like everything written to the channel).
import * as vscode from 'vscode';
import { redact } from '../api/redact';
import type { AuditEntry } from '../core/engineTypes';
import { logLevel, type LogLevel } from './config';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const KEEP_LINES = 500;

export { errorText } from './errorText';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel(vscode.l10n.t('C2M Tokens'), { log: true });
  }

  error(message: string): void {
    this.write('error', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  debug(message: string): void {
    this.write('debug', message);
  }

  /** Audit lines are always written, whatever the level. */
  audit(entry: AuditEntry): void {
    const expires = Number.isFinite(entry.expiresAt) ? new Date(entry.expiresAt).toISOString() : '?';
    this.emit(
      'info',
      `audit ${entry.action} ${entry.kind}-term ${entry.outcome ? `outcome=${entry.outcome} ` : ''}profile=${entry.profileId} token_id=${entry.tokenId || '-'} ` +
        `scopes=${entry.scopes.join(',') || '-'} expires=${expires}`,
    );
  }

  show(): void {
    this.channel.show(true);
  }

  /** The last lines written (already redacted), oldest first. */
  lines(): string[] {
    return [...this.recent];
  }

  dispose(): void {
    this.channel.dispose();
  }

  private write(level: LogLevel, message: string): void {
    if (RANK[level] > RANK[logLevel()]) return;
    this.emit(level, message);
  }

  private emit(level: LogLevel, message: string): void {
    const line = redact(message);
    this.recent.push(`${level} ${line}`);
    if (this.recent.length > KEEP_LINES) this.recent.splice(0, this.recent.length - KEEP_LINES);
    // Our levels are the channel's method names.
    this.channel[level](line);
  }
}

// Network operations the user started, under a cancellable progress notification: C2M "Team": issuing the long-term
// token… (try 2 of 3) with a Cancel button that aborts the operation (operation.ts says what a cancel does and does
// not undo). The notification appears with the first request only: an operation that needs no network (a copy of a
// token still valid) shows nothing. Runs are recorded (title, message, state) for the in-host tests, like notices.
import * as vscode from 'vscode';
import type { OperationControl } from '../core/operation';
import type { TokenService } from '../core/tokenService';
import { progressMessage, progressTitle } from './progressText';

/** What a run gives its work: the engine's control, and a way to say a step of its own. */
export interface RunControl extends OperationControl {
  signal: AbortSignal;
  say(message: string): void;
}

/** One progress notification as shown. */
export interface ProgressRecord {
  /** Counts up from 1 over the window's life (only the last KEEP are kept: find new ones by id, not by index). */
  id: number;
  title: string;
  /** The latest message. */
  message: string;
  /** Every message, oldest first. */
  messages: string[];
  cancellable: boolean;
  /** Still on screen (its operation runs). */
  active: boolean;
  cancelled: boolean;
}

const KEEP = 20;

export class ProgressRunner {
  private readonly shown: { record: ProgressRecord; cancel: () => void }[] = [];
  private lastId = 0;

  /** Runs `work`; its result or error is the run's. A cancel rejects through the work (CoreError 'aborted'). */
  async run<T>(title: string, work: (control: RunControl) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let entry: { record: ProgressRecord; cancel: () => void } | undefined;
    let report: ((message: string) => void) | undefined;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const say = (message: string): void => {
      if (entry) {
        entry.record.message = message;
        entry.record.messages.push(message);
        report?.(message);
        return;
      }
      if (controller.signal.aborted) return;
      entry = {
        record: {
          id: ++this.lastId,
          title,
          message,
          messages: [message],
          cancellable: true,
          active: true,
          cancelled: false,
        },
        cancel: () => controller.abort(),
      };
      this.shown.push(entry);
      if (this.shown.length > KEEP) this.shown.splice(0, this.shown.length - KEEP);
      const shownEntry = entry;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          report = (text) => progress.report({ message: text });
          report(shownEntry.record.message);
          const cancelled = token.onCancellationRequested(() => controller.abort());
          return finished.finally(() => cancelled.dispose());
        },
      );
    };
    controller.signal.addEventListener(
      'abort',
      () => {
        if (entry) entry.record.cancelled = true;
      },
      { once: true },
    );
    try {
      return await work({ signal: controller.signal, onProgress: (progress) => say(progressMessage(progress)), say });
    } finally {
      if (entry) entry.record.active = false;
      finish();
    }
  }

  /** Progress notifications shown, oldest first (for tests). */
  records(): ProgressRecord[] {
    return this.shown.map(({ record }) => ({ ...record, messages: [...record.messages] }));
  }

  /** Cancels every run on screen, as its Cancel button does (for tests); returns how many. */
  cancelActive(): number {
    const active = this.shown.filter(({ record }) => record.active && !record.cancelled);
    for (const { cancel } of active) cancel();
    return active.length;
  }
}

/**
 * The token service as the language features see it: their token fetches and revokes are user commands (insert from
 * completion, quick fixes), so each runs under progress, shown only when it must go to the server.
 */
export function withProgressFor(tokens: TokenService, runner: ProgressRunner): TokenService {
  const titleOf = (profileId: string | undefined): string => {
    const profiles = tokens.profiles();
    const profile =
      profiles.find((p) => p.id === profileId) ??
      (profileId === undefined ? profiles.find((p) => p.active) : undefined);
    return progressTitle(profile?.name ?? profileId ?? '');
  };
  const ownerOf = (fingerprint: string): string | undefined =>
    tokens.tokens().find((t) => t.fingerprint === fingerprint)?.profileId;
  return {
    profiles: () => tokens.profiles(),
    tokens: () => tokens.tokens(),
    onDidChange: (listener) => tokens.onDidChange(listener),
    getShortTermToken: (profileId, minValidityMs, control) =>
      runner.run(titleOf(profileId), (run) =>
        tokens.getShortTermToken(profileId, minValidityMs, { ...control, ...run }),
      ),
    revokeByFingerprint: (fingerprint, control) =>
      runner.run(titleOf(ownerOf(fingerprint)), (run) =>
        tokens.revokeByFingerprint(fingerprint, { ...control, ...run }),
      ),
  };
}

// Asking the user, in one place: input boxes validated as the user types, quick picks, masked secrets, file choice.
// Multi-step flows get a Back button. Tests queue answers instead (`Asker.script`): the same validators run on them,
// so a scripted answer that a user could not have typed fails the test.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type Answer<T> = T | undefined | typeof BACK;

export interface InputStep {
  title: string;
  step?: number;
  totalSteps?: number;
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface PickStep<T> {
  title: string;
  step?: number;
  totalSteps?: number;
  placeholder: string;
  items: PickItem<T>[];
  active?: T;
}

export interface FileStep {
  title: string;
  filters: Record<string, string[]>;
}

/** A modal question as it was put (for tests), like the notifier's notices. */
export interface Question {
  message: string;
  detail: string;
  choices: string[];
}

const KEEP_QUESTIONS = 20;

export class Asker {
  private readonly scripted: (string | undefined)[] = [];
  private readonly asked: Question[] = [];

  /** Test seam: the next prompts take these answers (undefined = the user pressed Escape) instead of showing UI. */
  script(...answers: (string | undefined)[]): void {
    this.scripted.push(...answers);
  }

  /** Test seam: the next prompt takes this answer, ahead of those already queued. */
  scriptFirst(answer: string | undefined): void {
    this.scripted.unshift(answer);
  }

  /** Scripted answers not yet consumed (a test can assert the flow asked what it expected). */
  pendingScript(): number {
    return this.scripted.length;
  }

  async input(step: InputStep): Promise<Answer<string>> {
    if (this.scripted.length) {
      const answer = this.scripted.shift();
      if (answer === undefined) return undefined;
      const problem = step.validate?.(answer);
      if (problem) throw new Error(`scripted answer rejected at "${step.prompt}": ${problem}`);
      return answer;
    }
    return showInput(step);
  }

  async pick<T>(step: PickStep<T>): Promise<Answer<T>> {
    if (this.scripted.length) {
      const answer = this.scripted.shift();
      if (answer === undefined) return undefined;
      const item = step.items.find((i) => i.label === answer || String(i.value) === answer);
      if (!item)
        throw new Error(`scripted answer "${answer}" is not one of: ${step.items.map((i) => i.label).join(', ')}`);
      return item.value;
    }
    return showPick(step);
  }

  /** A file path; scripted answers are paths. */
  async file(step: FileStep): Promise<vscode.Uri | undefined> {
    if (this.scripted.length) {
      const answer = this.scripted.shift();
      return answer === undefined ? undefined : vscode.Uri.file(answer);
    }
    const picked = await vscode.window.showOpenDialog({
      title: step.title,
      canSelectMany: false,
      canSelectFiles: true,
      canSelectFolders: false,
      filters: step.filters,
      openLabel: vscode.l10n.t('Use this key'),
    });
    return picked?.[0];
  }

  /** A modal with information to read; resolves when it is closed. Scripted: consumes one answer. */
  async details(message: string, detail: string): Promise<void> {
    if (this.scripted.length) {
      this.scripted.shift();
      return;
    }
    await vscode.window.showInformationMessage(message, { modal: true, detail });
  }

  /** The modal questions asked (the last 20), oldest first (for tests). */
  questions(): Question[] {
    return this.asked.map((q) => ({ ...q, choices: [...q.choices] }));
  }

  async confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined> {
    this.asked.push({ message, detail, choices: [...choices] });
    if (this.asked.length > KEEP_QUESTIONS) this.asked.splice(0, this.asked.length - KEEP_QUESTIONS);
    if (this.scripted.length) return this.scripted.shift();
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...choices);
  }
}

function stepTitle(s: { title: string; step?: number; totalSteps?: number }): {
  title: string;
  step?: number;
  totalSteps?: number;
} {
  return s.step !== undefined && s.totalSteps !== undefined
    ? { title: s.title, step: s.step, totalSteps: s.totalSteps }
    : { title: s.title };
}

/** What showInput and showPick share: a quick input with a Back button, Escape, and its listeners. */
type Widget = Pick<vscode.QuickInput, 'show' | 'dispose' | 'onDidHide'> & {
  onDidTriggerButton: vscode.Event<vscode.QuickInputButton>;
};

/**
 * Shows `widget` until the listeners `wire` adds call `done`, Back is pressed (BACK) or it is hidden (undefined). Every
 * listener and the widget are disposed once the answer is known.
 */
function answerFrom<T>(
  widget: Widget,
  wire: (done: (answer: Answer<T>) => void) => vscode.Disposable[],
): Promise<Answer<T>> {
  return new Promise<Answer<T>>((resolve) => {
    const subs: vscode.Disposable[] = [];
    const done = (answer: Answer<T>): void => {
      for (const d of subs) d.dispose();
      widget.dispose();
      resolve(answer);
    };
    subs.push(
      ...wire(done),
      widget.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) done(BACK);
      }),
      widget.onDidHide(() => done(undefined)),
    );
    widget.show();
  });
}

function showInput(step: InputStep): Promise<Answer<string>> {
  const box = vscode.window.createInputBox();
  Object.assign(box, stepTitle(step));
  box.prompt = step.prompt;
  box.value = step.value ?? '';
  box.placeholder = step.placeholder ?? '';
  box.password = step.password ?? false;
  box.ignoreFocusOut = true;
  if ((step.step ?? 1) > 1) box.buttons = [vscode.QuickInputButtons.Back];
  const check = (value: string): string | undefined => step.validate?.(value);
  box.validationMessage = step.value ? check(step.value) : undefined;
  return answerFrom<string>(box, (done) => [
    box.onDidChangeValue((value) => {
      box.validationMessage = check(value);
    }),
    box.onDidAccept(() => {
      const problem = check(box.value);
      if (problem) box.validationMessage = problem;
      else done(box.value);
    }),
  ]);
}

function showPick<T>(step: PickStep<T>): Promise<Answer<T>> {
  type Item = vscode.QuickPickItem & { value: T };
  const pick = vscode.window.createQuickPick<Item>();
  Object.assign(pick, stepTitle(step));
  pick.placeholder = step.placeholder;
  pick.ignoreFocusOut = true;
  const items: Item[] = step.items.map((i) => ({
    label: i.label,
    value: i.value,
    ...(i.description !== undefined ? { description: i.description } : {}),
    ...(i.detail !== undefined ? { detail: i.detail } : {}),
  }));
  pick.items = items;
  const active = items.find((i) => i.value === step.active);
  if (active) pick.activeItems = [active];
  if ((step.step ?? 1) > 1) pick.buttons = [vscode.QuickInputButtons.Back];
  return answerFrom<T>(pick, (done) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) done(chosen.value);
    }),
  ]);
}

/** Input boxes that check what is typed with the library's own rules, as it is typed. */
import * as vscode from 'vscode';

/** An input box whose value is checked by `validate` (which throws the library's errors) as you type. */
export async function askValidated<T>(options: vscode.InputBoxOptions & { prompt: string }, validate: (value: string) => T): Promise<T | undefined> {
  const value = await vscode.window.showInputBox({
    ...options,
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        validate(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return value === undefined ? undefined : validate(value);
}

/** `a, b ,c` → ['a', 'b', 'c'] (empty parts dropped). */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Commander's own words in the user's language: the help's titles (Usage:, Options:…), the help
 * option and command, `(default: …)`, and its usage errors (unknown option, missing argument…).
 *
 * Commander 14 makes its texts in English. The help goes through hooks it offers (`configureHelp`,
 * `helpOption`, `helpCommand`, `version`); its errors are made inside private methods, so they are
 * not printed by commander (`configureOutput`) but by `main`, from the error's code and the values
 * read back from its English message (`commanderErrorText`). What stays English: the usage syntax
 * (`[options]`, `[command]`, `<ref>`, `help [command]`: names like the options' own), and the text
 * of an error whose English form commander changed (a newer commander): then the message as it is.
 */
import * as l10n from '@vscode/l10n';
import type { Argument, Command, CommanderError, Help, Option } from 'commander';
import { displayWidth } from './format';

/** Commander's titles, called through `styleTitle` with its English text. */
function title(text: string): string {
  switch (text) {
    case 'Usage:':
      return l10n.t('Usage:');
    case 'Options:':
      return l10n.t('Options:');
    case 'Arguments:':
      return l10n.t('Arguments:');
    case 'Commands:':
      return l10n.t('Commands:');
    case 'Global Options:': // l10n-ignore: commander's English title, matched to translate it
      return l10n.t('Global Options:');
    default:
      return text;
  }
}

/** `(default: "0")` and its kin after a description, as commander's Help makes them. */
function withExtras(description: string, extras: string[]): string {
  if (extras.length === 0) return description;
  const more = `(${extras.join(', ')})`;
  return description ? `${description} ${more}` : more;
}

function optionDescription(option: Option): string {
  const extras: string[] = [];
  if (option.argChoices) extras.push(l10n.t('choices: {0}', option.argChoices.map((c) => JSON.stringify(c)).join(', ')));
  if (option.defaultValue !== undefined && (option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean'))) {
    extras.push(l10n.t('default: {0}', option.defaultValueDescription || JSON.stringify(option.defaultValue)));
  }
  if (option.presetArg !== undefined && option.optional) extras.push(l10n.t('preset: {0}', JSON.stringify(option.presetArg)));
  if (option.envVar !== undefined) extras.push(l10n.t('env: {0}', option.envVar));
  return withExtras(option.description ?? '', extras);
}

function argumentDescription(argument: Argument): string {
  const extras: string[] = [];
  if (argument.argChoices) extras.push(l10n.t('choices: {0}', argument.argChoices.map((c) => JSON.stringify(c)).join(', ')));
  if (argument.defaultValue !== undefined) extras.push(l10n.t('default: {0}', argument.defaultValueDescription || JSON.stringify(argument.defaultValue)));
  return withExtras(argument.description ?? '', extras);
}

/** Wide characters (Japanese, Chinese…) and the punctuation that must not start or end a line. */
const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF';
const OPENING = '「『（［｛〈《【';
const CLOSING = '、。，．）」』］｝〉》】！？：；ー…';
/**
 * One unbreakable piece with the blanks before it: one CJK character with the non-CJK text (`(`,
 * `--yes`) and opening marks right before it and the closing marks after it, or a run of non-CJK text.
 */
const CHUNK = new RegExp(`\\s*(?:[^\\s${CJK}]*[${OPENING}]*[${CJK}][${CLOSING}]*|[^\\s${CJK}]+[${CLOSING}]*)`, 'gu');

/**
 * Commander's wrapping breaks lines at blanks only: a Japanese description (no blanks) would run
 * past the terminal's edge. This one also breaks between CJK characters, never before a closing
 * mark (、。）) nor after an opening one (（「).
 */
function boxWrap(text: string, width: number): string {
  if (width < 40) return text;
  const out: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(CHUNK);
    if (!chunks) {
      out.push('');
      continue;
    }
    let current = chunks.shift()!;
    let used = displayWidth(current);
    for (const chunk of chunks) {
      const w = displayWidth(chunk);
      if (used + w <= width) {
        current += chunk;
        used += w;
        continue;
      }
      out.push(current);
      current = chunk.trimStart();
      used = displayWidth(current);
    }
    out.push(current);
  }
  return out.join('\n');
}

/**
 * Commander's words through the catalogue. Call on the program before its commands are added:
 * commands copy these settings from their parent when they are made.
 */
export function localizeCommander(program: Command): Command {
  return program
    .configureHelp({
      styleTitle: title,
      optionDescription,
      argumentDescription,
      displayWidth,
      boxWrap,
    } satisfies Partial<Help>)
    .helpOption('-h, --help', l10n.t('display help for command'))
    .helpCommand('help [command]', l10n.t('display help for command')) // l10n-ignore: the help command's syntax (a name and an argument)
    .showHelpAfterError(false)
    .configureOutput({
      // Commander's errors are English: main() prints them translated (commanderErrorText).
      outputError: () => undefined,
    });
}

/** `(Did you mean --x?)` after an unknown option or command, from commander's English. */
function suggestion(text: string | undefined): string {
  if (!text) return '';
  const one = /^\n\(Did you mean (?!one of )(.*)\?\)$/s.exec(text);
  if (one) return `\n${l10n.t('(Did you mean {0}?)', one[1]!)}`;
  const many = /^\n\(Did you mean one of (.*)\?\)$/s.exec(text);
  if (many) return `\n${l10n.t('(Did you mean one of {0}?)', many[1]!)}`;
  return text;
}

/**
 * The text of a usage error commander found (unknown option, missing argument…) in the user's
 * language, without the `error: ` prefix; undefined for codes that are not errors (help, version).
 * The values (the option, the argument) are read back from commander's English message; a message
 * of a form not known here is kept as commander wrote it.
 */
export function commanderErrorText(e: CommanderError): string | undefined {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return undefined;
  const message = e.message.replace(/^error: /, '');
  let m: RegExpExecArray | null;
  switch (e.code) {
    case 'commander.unknownOption':
      if ((m = /^unknown option '(.*?)'(\n\(.*\))?$/s.exec(message))) return l10n.t("unknown option '{0}'", m[1]!) + suggestion(m[2]);
      break;
    case 'commander.unknownCommand':
      if ((m = /^unknown command '(.*?)'(\n\(.*\))?$/s.exec(message))) return l10n.t("unknown command '{0}'", m[1]!) + suggestion(m[2]);
      break;
    case 'commander.missingArgument':
      if ((m = /^missing required argument '(.*)'$/s.exec(message))) return l10n.t("missing required argument '{0}'", m[1]!);
      break;
    case 'commander.optionMissingArgument':
      if ((m = /^option '(.*)' argument missing$/s.exec(message))) return l10n.t("option '{0}' argument missing", m[1]!);
      break;
    case 'commander.missingMandatoryOptionValue':
      if ((m = /^required option '(.*)' not specified$/s.exec(message))) return l10n.t("required option '{0}' not specified", m[1]!);
      break;
    case 'commander.excessArguments':
      if ((m = /^too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/s.exec(message))) {
        const [, command, expected, got] = m;
        if (command === undefined) {
          return expected === '1' ? l10n.t('too many arguments. Expected 1 argument but got {0}.', got!) : l10n.t('too many arguments. Expected {0} arguments but got {1}.', expected!, got!);
        }
        return expected === '1'
          ? l10n.t("too many arguments for '{0}'. Expected 1 argument but got {1}.", command, got!)
          : l10n.t("too many arguments for '{0}'. Expected {1} arguments but got {2}.", command, expected!, got!);
      }
      break;
  }
  return message;
}

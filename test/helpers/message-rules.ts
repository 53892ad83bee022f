/**
 * Discord's limits on what a bot may send, checked the way Discord checks them: a body that breaks one is
 * answered `400 { code: 50035, message: 'Invalid Form Body', errors }` (or `50006` for an empty message),
 * so discord.js throws exactly the DiscordAPIError the bot would meet in production.
 * Also who a message would notify (`pings`), given its content and `allowed_mentions`.
 */

/** Documented Discord limits (https://discord.com/developers/docs/resources/message, .../channel#embed-limits). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowButtons: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectText: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
} as const;

export interface FormError {
  path: Array<string | number>;
  code: string;
  message: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(body: Json, key: string): unknown[] {
  const value = body[key];
  return Array.isArray(value) ? value : [];
}

function textLength(value: unknown): number {
  // Discord counts characters (code points), not UTF-16 units.
  return typeof value === 'string' ? [...value].length : 0;
}

function maxLength(errors: FormError[], path: FormError['path'], value: unknown, max: number): void {
  if (textLength(value) > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function maxItems(errors: FormError[], path: FormError['path'], items: unknown[], max: number): void {
  if (items.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function checkEmbeds(body: Json, errors: FormError[]): void {
  const embeds = arrayAt(body, 'embeds');
  maxItems(errors, ['embeds'], embeds, LIMITS.embeds);
  let total = 0;
  embeds.forEach((embed, index) => {
    if (!isObject(embed)) return;
    const at = (...rest: Array<string | number>) => ['embeds', index, ...rest];
    maxLength(errors, at('title'), embed.title, LIMITS.embedTitle);
    maxLength(errors, at('description'), embed.description, LIMITS.embedDescription);
    total += textLength(embed.title) + textLength(embed.description);
    const fields = arrayAt(embed, 'fields');
    maxItems(errors, at('fields'), fields, LIMITS.embedFields);
    fields.forEach((field, fieldIndex) => {
      if (!isObject(field)) return;
      maxLength(errors, at('fields', fieldIndex, 'name'), field.name, LIMITS.embedFieldName);
      maxLength(errors, at('fields', fieldIndex, 'value'), field.value, LIMITS.embedFieldValue);
      if (textLength(field.name) === 0 || textLength(field.value) === 0) {
        errors.push({
          path: at('fields', fieldIndex),
          code: 'BASE_TYPE_REQUIRED',
          message: 'This field is required',
        });
      }
      total += textLength(field.name) + textLength(field.value);
    });
    if (isObject(embed.footer)) {
      maxLength(errors, at('footer', 'text'), embed.footer.text, LIMITS.embedFooter);
      total += textLength(embed.footer.text);
    }
    if (isObject(embed.author)) {
      maxLength(errors, at('author', 'name'), embed.author.name, LIMITS.embedAuthor);
      total += textLength(embed.author.name);
    }
  });
  if (total > LIMITS.embedTotal) {
    errors.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    });
  }
}

function checkComponents(body: Json, errors: FormError[]): void {
  const rows = arrayAt(body, 'components');
  const componentsV2 = (Number(body.flags ?? 0) & (1 << 15)) !== 0;
  if (!componentsV2) maxItems(errors, ['components'], rows, LIMITS.actionRows);
  const seen = new Set<string>();
  rows.forEach((row, rowIndex) => {
    if (!isObject(row) || row.type !== 1) return;
    const children = arrayAt(row, 'components');
    maxItems(errors, ['components', rowIndex, 'components'], children, LIMITS.rowButtons);
    children.forEach((child, childIndex) => {
      if (!isObject(child)) return;
      const at = (...rest: Array<string | number>) => [
        'components',
        rowIndex,
        'components',
        childIndex,
        ...rest,
      ];
      if (typeof child.custom_id === 'string') {
        maxLength(errors, at('custom_id'), child.custom_id, LIMITS.customId);
        if (seen.has(child.custom_id)) {
          errors.push({
            path: at('custom_id'),
            code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
            message: 'Component custom id cannot be duplicated',
          });
        }
        seen.add(child.custom_id);
      }
      if (child.type === 2) {
        maxLength(errors, at('label'), child.label, LIMITS.buttonLabel);
        const isLink = child.style === 5;
        if (
          isLink ? typeof child.url !== 'string' : child.style !== 6 && typeof child.custom_id !== 'string'
        ) {
          errors.push({
            path: at(isLink ? 'url' : 'custom_id'),
            code: 'BASE_TYPE_REQUIRED',
            message: 'This field is required',
          });
        }
      }
      const options = arrayAt(child, 'options');
      maxItems(errors, at('options'), options, LIMITS.selectOptions);
      options.forEach((option, optionIndex) => {
        if (!isObject(option)) return;
        maxLength(errors, at('options', optionIndex, 'label'), option.label, LIMITS.selectText);
        maxLength(errors, at('options', optionIndex, 'value'), option.value, LIMITS.selectText);
      });
    });
  });
}

/**
 * Checks a message body (callback data, webhook or channel message). `fileCount` counts uploaded files,
 * which make a message non-empty on their own.
 */
export function checkMessage(
  body: Json,
  fileCount: number,
  options: { allowEmpty?: boolean } = {},
): FormError[] {
  const errors: FormError[] = [];
  maxLength(errors, ['content'], body.content, LIMITS.content);
  checkEmbeds(body, errors);
  checkComponents(body, errors);
  const empty =
    textLength(body.content) === 0 &&
    arrayAt(body, 'embeds').length === 0 &&
    arrayAt(body, 'components').length === 0 &&
    arrayAt(body, 'attachments').length === 0 &&
    arrayAt(body, 'sticker_ids').length === 0 &&
    body.poll === undefined &&
    fileCount === 0;
  if (empty && !options.allowEmpty) {
    errors.push({ path: [], code: 'EMPTY_MESSAGE', message: 'Cannot send an empty message' });
  }
  return errors;
}

/** Checks autocomplete choices (interaction callback type 8). */
export function checkChoices(choices: unknown): FormError[] {
  const errors: FormError[] = [];
  if (!Array.isArray(choices)) {
    return [{ path: ['choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
  }
  maxItems(errors, ['choices'], choices, LIMITS.choices);
  choices.forEach((choice, index) => {
    const name = isObject(choice) ? choice.name : undefined;
    const value = isObject(choice) ? choice.value : undefined;
    if (textLength(name) < 1) {
      errors.push({
        path: ['choices', index, 'name'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    maxLength(errors, ['choices', index, 'name'], name, LIMITS.choiceName);
    maxLength(errors, ['choices', index, 'value'], value, LIMITS.choiceValue);
    if (typeof value !== 'string' && typeof value !== 'number') {
      errors.push({
        path: ['choices', index, 'value'],
        code: 'BASE_TYPE_REQUIRED',
        message: 'This field is required',
      });
    }
  });
  return errors;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommandName(
  errors: FormError[],
  path: FormError['path'],
  name: unknown,
  chatInput: boolean,
): void {
  const ok =
    typeof name === 'string' &&
    (chatInput
      ? COMMAND_NAME.test(name) && name === name.toLowerCase()
      : textLength(name) >= 1 && textLength(name) <= LIMITS.commandName);
  if (!ok)
    errors.push({
      path: [...path, 'name'],
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: 'Command name is invalid',
    });
}

function checkDescription(errors: FormError[], path: FormError['path'], description: unknown): void {
  const length = textLength(description);
  if (length < 1 || length > LIMITS.commandDescription) {
    errors.push({
      path: [...path, 'description'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 100 in length.',
    });
  }
}

function checkOptions(errors: FormError[], path: FormError['path'], options: unknown[]): void {
  maxItems(errors, [...path, 'options'], options, LIMITS.commandOptions);
  let optionalSeen = false;
  const names = new Set<unknown>();
  options.forEach((option, index) => {
    if (!isObject(option)) return;
    const at = [...path, 'options', index];
    checkCommandName(errors, at, option.name, true);
    checkDescription(errors, at, option.description);
    if (names.has(option.name)) {
      errors.push({
        path: [...at, 'name'],
        code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        message: 'Option names must be unique',
      });
    }
    names.add(option.name);
    if (option.required === true && optionalSeen) {
      errors.push({
        path: at,
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option.required !== true && option.type !== 1 && option.type !== 2) optionalSeen = true;
    maxItems(errors, [...at, 'choices'], arrayAt(option, 'choices'), LIMITS.choices);
    if (option.type === 1 || option.type === 2) checkOptions(errors, at, arrayAt(option, 'options'));
  });
}

/** Checks one application command as PUT/POST `/applications/:id/commands` receive it. */
export function checkCommand(command: unknown, path: FormError['path'] = []): FormError[] {
  const errors: FormError[] = [];
  if (!isObject(command))
    return [{ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }];
  const type = command.type ?? 1;
  checkCommandName(errors, path, command.name, type === 1);
  if (type === 1) checkDescription(errors, path, command.description);
  else if (textLength(command.description) > 0) {
    errors.push({
      path: [...path, 'description'],
      code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
      message: 'Context menu commands cannot have description',
    });
  }
  checkOptions(errors, path, arrayAt(command, 'options'));
  return errors;
}

/** Discord's nested `errors` object for `Invalid Form Body`. */
export function formErrorBody(errors: FormError[]): { code: number; message: string; errors?: Json } {
  if (errors.length === 1 && errors[0]?.code === 'EMPTY_MESSAGE') {
    return { code: 50006, message: 'Cannot send an empty message' };
  }
  const root: Json = {};
  for (const error of errors) {
    let node = root;
    for (const key of error.path) {
      const next = node[String(key)];
      node = isObject(next) ? next : ((node[String(key)] = {}) as Json);
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    (list as unknown[]).push({ code: error.code, message: error.message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors: root };
}

/** Who Discord would notify for a message. Embeds never ping; only content does. */
export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
}

export function pings(body: Json): Pings {
  const content = typeof body.content === 'string' ? body.content : '';
  const allowed = isObject(body.allowed_mentions) ? body.allowed_mentions : undefined;
  // Without allowed_mentions Discord parses every kind of mention found in the content.
  const parse = allowed ? arrayAt(allowed, 'parse') : ['everyone', 'users', 'roles'];
  const allowedUsers = allowed ? arrayAt(allowed, 'users') : [];
  const allowedRoles = allowed ? arrayAt(allowed, 'roles') : [];
  const users = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? '');
  const roles = [...content.matchAll(/<@&(\d{17,20})>/g)].map((match) => match[1] ?? '');
  return {
    everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    users: [...new Set(users.filter((id) => parse.includes('users') || allowedUsers.includes(id)))],
    roles: [...new Set(roles.filter((id) => parse.includes('roles') || allowedRoles.includes(id)))],
  };
}

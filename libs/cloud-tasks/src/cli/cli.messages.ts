const SHAPES =
  'your CloudTasksModuleOptions (an object with projectId, location, serviceUrl, serviceAccountEmail and queues), a function returning them, or your queue configs (Record<jobName, QueueConfig>)';

export const CLI_NO_CONFIG = (command: string) =>
  `${command} reads your configuration: pass --module FILE[#EXPORT] (a file exporting ${SHAPES}) or --app FILE[#EXPORT] (your application module, booted as an application context), e.g. --app dist/app.module.js#AppModule.`;

export const CLI_BOTH_CONFIGS = 'Pass either --module or --app, not both.';

export const CLI_FILE_NOT_FOUND = (file: string, resolved: string) =>
  `Cannot find ${file} (looked at ${resolved}). Pass the path of the compiled JavaScript file, relative to the working directory (run your build first).`;

export const CLI_FILE_IS_TYPESCRIPT = (file: string) =>
  `${file} is TypeScript, which Node does not import by itself: pass the compiled file (e.g. the .js under dist/ after \`tsc\`), or run the CLI through a TypeScript loader (node --import tsx ./node_modules/.bin/nest-cloud-tasks …).`;

export const CLI_FILE_LOAD_FAILED = (file: string, cause: string) => `Could not load ${file}: ${cause}`;

export const CLI_EXPORT_NOT_FOUND = (file: string, name: string, available: string[]) =>
  `${file} has no export "${name}" (its exports: ${available.join(', ') || 'none'}). Name the right one after "#", e.g. ${file}#${available[0] ?? 'cloudTasksOptions'}.`;

export const CLI_NO_USABLE_EXPORT = (file: string, flag: '--module' | '--app', available: string[]) =>
  flag === '--module'
    ? `${file} exports nothing --module can use (its exports: ${available.join(', ') || 'none'}): export ${SHAPES}.`
    : `${file} exports no Nest module class (its exports: ${available.join(', ') || 'none'}): pass the file of your AppModule, e.g. --app dist/app.module.js#AppModule.`;

export const CLI_AMBIGUOUS_EXPORT = (file: string, flag: '--module' | '--app', candidates: string[]) =>
  `${file} exports several candidates (${candidates.join(', ')}): say which with ${flag} ${file}#${candidates[0]}.`;

export const CLI_WRONG_SHAPE = (ref: string, flag: '--module' | '--app', got: string) =>
  flag === '--module'
    ? `${ref} is ${got}; --module expects ${SHAPES}.${got.startsWith('a class') ? ` For a Nest module, use --app ${ref}.` : ''}`
    : `${ref} is ${got}, not a Nest module (a class decorated with @Module() or a DynamicModule).${got.startsWith('a class') ? '' : ` For options or queue configs, use --module ${ref}.`}`;

export const CLI_FACTORY_RESULT = (ref: string, got: string) =>
  `${ref}() returned ${got}, not CloudTasksModuleOptions (projectId, location, serviceUrl, serviceAccountEmail, queues).`;

export const CLI_QUEUES_NEED_TARGET = (ref: string, missing: string[]) =>
  `${ref} holds only queue configs, so the CLI needs to know where they live: ${missing.join(' and ')} (or export your CloudTasksModuleOptions instead). Set CLOUD_TASKS_EMULATOR_HOST (or --emulator-host) for an emulator.`;

export const CLI_QUEUES_ONLY_NO_STORE = (ref: string) =>
  `${ref} holds only queue configs: dead-letters needs the store your app records dead letters in. Export your CloudTasksModuleOptions (with idempotency.upstash or deadLetters.store), or pass your app with --app.`;

export const CLI_APP_WITHOUT_MODULE = (ref: string) =>
  `${ref} booted, but CloudTasksModule is not in its module graph: pass the module that imports CloudTasksModule.forRoot()/forRootAsync() (usually AppModule).`;

export const CLI_MEMORY_DEAD_LETTERS =
  'Warning: no dead-letter store is configured (idempotency.upstash or deadLetters.store), so this process reads an empty memory store: the dead letters your app recorded are in its own memory. Point the configuration at the store the app uses.';

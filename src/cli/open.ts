import { semanticOptionsOf, type Config } from '../config.ts';
import { openLibrary, type Library } from '../library.ts';
import type { Logger } from '../log.ts';
import type { OpenLibraryRequest } from './context.ts';

/**
 * The library a terminal command works on: the shipped corpus plus the servers' documents under
 * DATA_DIR, or with `--corpus DIR` only that folder (nothing is stored then).
 */
export function openTerminalLibrary(
  request: OpenLibraryRequest,
  config: Config,
  logger: Logger,
): Promise<Library> {
  const semantic =
    request.semantic === undefined
      ? {}
      : {
          semantic: semanticOptionsOf(
            config,
            request.semantic === 'config' ? config.semantic : request.semantic,
          ),
        };
  if (request.folder !== undefined) return openLibrary({ corpusFolder: request.folder, logger, ...semantic });
  return openLibrary({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    logger,
    extraction: config.extraction,
    quotas: config.quotas,
    ...semantic,
  });
}

/** The search core's one public door. */
export * from './types.ts';
export * from './errors.ts';

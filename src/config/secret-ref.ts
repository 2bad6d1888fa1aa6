import { z } from 'zod';

/** A secret is never written in the config file: it names the environment variable that holds it. */
export const secretRef = z.strictObject({
  env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
});

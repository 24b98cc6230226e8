import { z } from 'zod';
import { alertsSchema } from './alerts.ts';
import { backupsSchema } from './backups.ts';
import { logsSchema } from './logs.ts';
import { bytes, seconds } from './schema-units.ts';

/**
 * The schema of cairn.yaml, shared by the local runtime and the CDK app: parsed once at start,
 * validated, frozen. Unknown keys are errors, so a typo never silently falls back to a default.
 */
export const attempts = z.object({ limit: z.number().int().min(1).default(5), window: seconds.default(900) }).strict();

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The absolute base of links handed to users; defaults to http://host:port. */
        publicUrl: z.url().optional(),
        /** Trust X-Forwarded-For from a reverse proxy. Off: the socket address is the client's. */
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info') })
      .strict()
      .prefault({}),
    auth: z
      .object({
        adminUsername: z.string().min(1).default('admin'),
        sessionTtl: seconds.default(12 * 3600),
        signInAttemptsPerAccount: attempts.prefault({}),
        signInAttemptsPerAddress: attempts.prefault({ limit: 30 }),
      })
      .strict()
      .prefault({}),
    sharing: z
      .object({
        maxUploadBytes: bytes.default(5 * 1024 ** 3),
        uploadUrlTtl: seconds.default(6 * 3600),
        defaultExpiry: seconds.default(7 * 86400),
        maxExpiry: seconds.default(30 * 86400),
        downloadUrlTtl: seconds.pipe(z.number().min(1).max(60, 'must be at most 60 seconds')).default(60),
        unsharedFileGrace: seconds.default(86400),
        sweepInterval: seconds.pipe(z.number().min(1)).default(60),
        passwordAttempts: attempts.prefault({}),
      })
      .strict()
      .prefault({}),
    alerts: alertsSchema.prefault({}),
    backups: backupsSchema.prefault({}),
    logs: logsSchema.prefault({}),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;

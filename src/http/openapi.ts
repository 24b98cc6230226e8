/**
 * The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json. Written by hand, compactly
 * (builders in openapi-helpers.ts): sharing and accounts here, the notification hub in openapi-hub.ts and
 * openapi-alerts-admin.ts, logs and backups in openapi-ops.ts. test/http/openapi-coverage.test.ts checks
 * that every route of the app is in it.
 */
import { alertsAdminPaths } from './openapi-alerts-admin.ts';
import { backupPaths, backupSchemas, logPaths, logSchemas } from './openapi-ops.ts';
import { errors, json, op, body, PAGE_PARAMS, pageParams, params, path, paged, ref } from './openapi-helpers.ts';
import { hubPaths, hubSchemas } from './openapi-hub.ts';

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cairn',
      version: '0.1.0',
      description:
        'Secure file sharing, an event-notification hub, a log agent and legacy backups. Times are UTC ISO 8601; ' +
        'lists are paginated with an opaque `cursor`. Errors: `{ "error": { "code", "message" } }`; codes in docs/errors.md.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'cairn_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', examples: ['CAIRN_SHARE_EXPIRED'] },
                message: { type: 'string' },
                details: { type: 'object', description: 'Some errors add facts, e.g. retryAfterSeconds' },
              },
            },
          },
        },
        User: { type: 'object', properties: { username: { type: 'string' }, displayName: { type: 'string' } } },
        FileRef: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            size: { type: 'integer' },
            contentType: { type: 'string' },
            sha256: { type: ['string', 'null'] },
          },
        },
        Share: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            url: { type: 'string', format: 'uri' },
            owner: { type: 'string' },
            kind: { enum: ['link', 'recipients'] },
            files: { type: 'array', items: ref('FileRef') },
            recipients: { type: 'array', items: { type: 'string' } },
            createdAt: { type: 'string', format: 'date-time' },
            expiresAt: { type: 'string', format: 'date-time' },
            maxDownloads: { type: ['integer', 'null'] },
            downloadCount: { type: 'integer' },
            hasPassword: { type: 'boolean' },
            status: { enum: ['active', 'revoked', 'expired'] },
            revokedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        ...hubSchemas,
        ...logSchemas,
        ...backupSchemas,
        Download: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            shareId: { type: 'string' },
            fileId: { type: ['string', 'null'] },
            fileName: { type: 'string' },
            actor: { type: 'string' },
            ip: { type: 'string' },
            userAgent: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths: {
      '/healthz': { get: { summary: 'Ready check', security: [], responses: { 200: json({ type: 'object' }) } } },
      '/api/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: json({ type: 'object' }) } },
      },
      '/api/auth/login': {
        post: op(
          'Sign in; also sets the HttpOnly session cookie',
          {
            200: json({
              type: 'object',
              properties: {
                token: { type: 'string' },
                expiresAt: { type: 'string', format: 'date-time' },
                user: ref('User'),
              },
            }),
          },
          {
            security: [],
            ...body({
              type: 'object',
              required: ['username', 'password'],
              properties: { username: { type: 'string' }, password: { type: 'string' } },
            }),
          },
        ),
      },
      '/api/auth/logout': { post: op('Sign out (clears the cookie)', { 204: { description: 'Signed out' } }) },
      '/api/auth/me': { get: op('Who is signed in', { 200: json(ref('User')) }) },
      '/api/users': {
        get: op(
          'Search the user pool (recipient picker)',
          { 200: json({ type: 'object', properties: { users: { type: 'array', items: ref('User') } } }) },
          {
            parameters: [
              {
                name: 'q',
                in: 'query',
                schema: { type: 'string' },
                description: 'Prefix of a username or display name',
              },
            ],
          },
        ),
      },
      '/api/admin/users': {
        get: op('List users (admin)', { 200: json(paged(ref('User'))) }, pageParams),
        post: op(
          'Add a user (admin)',
          { 201: json(ref('User')) },
          body({
            type: 'object',
            required: ['username', 'password'],
            properties: {
              username: { type: 'string' },
              password: { type: 'string', minLength: 8 },
              displayName: { type: 'string' },
              admin: { type: 'boolean' },
            },
          }),
        ),
      },
      '/api/admin/users/{username}': {
        delete: op('Remove a user (admin)', { 204: { description: 'Removed' } }, path('username')),
      },
      '/api/uploads': {
        post: op(
          'Start an upload: returns a presigned URL to send the bytes to',
          {
            201: json({
              type: 'object',
              properties: {
                fileId: { type: 'string' },
                uploadUrl: { type: 'string' },
                method: { const: 'PUT' },
                headers: { type: 'object' },
                expiresAt: { type: 'string', format: 'date-time' },
              },
            }),
            ...errors(413),
          },
          body({
            type: 'object',
            required: ['name', 'size'],
            properties: { name: { type: 'string' }, size: { type: 'integer' }, contentType: { type: 'string' } },
          }),
        ),
      },
      '/api/uploads/{fileId}/complete': {
        post: op(
          'Finish an upload once the bytes were sent',
          {
            200: json({
              type: 'object',
              properties: {
                fileId: { type: 'string' },
                name: { type: 'string' },
                size: { type: 'integer' },
                sha256: { type: 'string' },
                status: { const: 'ready' },
              },
            }),
            ...errors(409),
          },
          path('fileId'),
        ),
      },
      '/api/files/{fileId}/presign': {
        post: op(
          'A bare presigned download URL for one of your files (max 7 days)',
          {
            200: json({
              type: 'object',
              properties: { url: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
            }),
          },
          {
            ...path('fileId'),
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { expiresInSeconds: { type: 'integer', maximum: 604800 } } },
                },
              },
            },
          },
        ),
      },
      '/api/shares': {
        post: op(
          'Create a share (a link, or for named recipients)',
          { 201: json(ref('Share')), ...errors(409) },
          body({
            type: 'object',
            required: ['fileIds'],
            properties: {
              fileIds: { type: 'array', items: { type: 'string' } },
              expiresInSeconds: { type: 'integer' },
              recipients: { type: 'array', items: { type: 'string' } },
              maxDownloads: { type: 'integer' },
              password: { type: 'string' },
            },
          }),
        ),
        get: op('Shares I made, newest first', { 200: json(paged(ref('Share'))) }, pageParams),
      },
      '/api/shares/received': {
        get: op('Active shares where I am a recipient', { 200: json(paged(ref('Share'))) }, pageParams),
      },
      '/api/shares/{id}': {
        get: op('One of my shares', { 200: json(ref('Share')) }, path('id')),
        delete: op(
          'Revoke: every link and presigned URL of it stops working at once',
          { 204: { description: 'Revoked' } },
          path('id'),
        ),
      },
      '/api/shares/{id}/downloads': {
        get: op(
          'Audit log of a share: who downloaded what, when, from where',
          { 200: json(paged(ref('Download'))) },
          params('id', PAGE_PARAMS),
        ),
      },
      '/s/{id}': {
        get: {
          summary: 'Landing page (HTML) for browsers',
          security: [],
          ...path('id'),
          responses: { 200: { description: 'HTML', content: { 'text/html': {} } } },
        },
      },
      '/s/{id}/info': {
        get: op(
          'What the landing page shows (counts no download)',
          { 200: json({ type: 'object' }), ...errors(410) },
          { security: [], ...path('id') },
        ),
      },
      '/s/{id}/unlock': {
        post: op(
          'Give the share password; sets a cookie for this share',
          { 204: { description: 'Unlocked' }, ...errors(410) },
          {
            security: [],
            ...path('id'),
            ...body({ type: 'object', required: ['password'], properties: { password: { type: 'string' } } }),
          },
        ),
      },
      '/s/{id}/download': {
        get: op(
          'Download the file (302 to a presigned URL), or all files as a streamed zip',
          {
            200: { description: 'application/zip' },
            302: { description: 'Redirect to a presigned URL valid ≤ 60 s' },
            ...errors(403, 410),
          },
          path('id'),
        ),
      },
      '/s/{id}/files/{fileId}': {
        get: op(
          'Download one file of the share',
          { 302: { description: 'Redirect to a presigned URL valid ≤ 60 s' }, ...errors(403, 410) },
          path('id', 'fileId'),
        ),
      },
      ...hubPaths,
      ...alertsAdminPaths,
      ...logPaths,
      ...backupPaths,
      '/o/{key}': {
        get: {
          summary: 'Presigned object URL (local runtime; S3 on AWS)',
          security: [],
          ...path('key'),
          responses: { 200: { description: 'The bytes, as an attachment' }, ...errors(403, 404) },
        },
        put: {
          summary: 'Presigned upload URL',
          security: [],
          ...path('key'),
          responses: { 200: { description: 'Stored' }, ...errors(400, 403, 413) },
        },
      },
    },
  };
}

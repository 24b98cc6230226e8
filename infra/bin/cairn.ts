#!/usr/bin/env -S npx tsx
/**
 * The Cairn CDK app (`npm run synth`, `npm run deploy`). Context values: docs/deploy-aws.md.
 * The Lambda handlers are bundled from src/runtime/lambda/ by the local esbuild, without Docker.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_HANDLERS, buildCairnApp } from '../lib/app.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
buildCairnApp({ projectRoot, handlers: LAMBDA_HANDLERS }).app.synth();

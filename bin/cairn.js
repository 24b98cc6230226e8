#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx cairn …` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/runtime/local/cli.ts');

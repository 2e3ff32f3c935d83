/**
 * zod for the whole platform: the tree-shakeable `zod/mini` API (a Lambda bundle carries only the
 * schemas and checks it uses, not all of classic zod), with the English messages classic zod loads
 * by itself. The messages reach API 400 responses, CLI output and validation reports, so every
 * module imports zod from here (`import * as z from '.../domain/zod'`), never from 'zod' directly.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

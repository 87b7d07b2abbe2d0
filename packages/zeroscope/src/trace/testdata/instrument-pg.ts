// Preload of outgoing-child.ts (`node --import tsx --import ./instrument-pg.ts child.ts`), written
// the way the trace README tells users to add an official instrumentation: before pg is imported.
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { instrument } from '../index.ts';

instrument([new PgInstrumentation()]);

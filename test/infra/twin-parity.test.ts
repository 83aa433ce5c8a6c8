/**
 * The synthesized cloud resources have exactly the keys, indexes, queue timings and bucket
 * notification that shared/resources/specs.ts defines (which is also what the local twin builds
 * from). A twin-side comparison lives in its own test and reuses template-shapes.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, TABLES, type QueueName, type TableName } from '#resources/specs.ts';
import { defaultTemplate } from './build-stack.ts';
import {
  notificationShapeFromSpec,
  notificationShapes,
  type QueueShape,
  queueShapeFromSpec,
  queueShapes,
  type TableShape,
  tableShapeFromSpec,
  tableShapes,
} from './template-shapes.ts';

describe('the CDK template matches the shared resource specs', () => {
  let tables: Record<TableName, TableShape>;
  let queues: Record<QueueName, QueueShape>;
  let notifications: ReturnType<typeof notificationShapes>;

  beforeAll(() => {
    const template = defaultTemplate();
    tables = tableShapes(template);
    queues = queueShapes(template);
    notifications = notificationShapes(template);
  });

  it.each(Object.keys(TABLES) as TableName[])('table %s has the spec keys, attribute types and indexes', (name) => {
    expect(tables[name]).toEqual(tableShapeFromSpec(TABLES[name]));
  });

  it.each(Object.keys(QUEUES) as QueueName[])('queue %s has the spec visibility, retention and redrive', (name) => {
    expect(queues[name]).toEqual(queueShapeFromSpec(QUEUES[name]));
  });

  it('the deposit bucket notifies the intake queue of report uploads only', () => {
    expect(notifications).toEqual([notificationShapeFromSpec()]);
  });
});

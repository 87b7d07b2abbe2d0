import type { Attributes } from '@opentelemetry/api';
import { ATTR_MESSAGE_ID, ATTR_MESSAGE_TYPE, MESSAGE_TYPE_VALUE_RECEIVED, MESSAGE_TYPE_VALUE_SENT } from '../../trace/index.ts';

type MessageType = typeof MESSAGE_TYPE_VALUE_SENT | typeof MESSAGE_TYPE_VALUE_RECEIVED;

// A unary call's only message each way: frozen and shared, so a span keeps them without a copy
// (trace/lean/span.ts) and no call builds them.
const FIRST_SENT: Attributes = Object.freeze({ [ATTR_MESSAGE_TYPE]: MESSAGE_TYPE_VALUE_SENT, [ATTR_MESSAGE_ID]: 1 });
const FIRST_RECEIVED: Attributes = Object.freeze({ [ATTR_MESSAGE_TYPE]: MESSAGE_TYPE_VALUE_RECEIVED, [ATTR_MESSAGE_ID]: 1 });

/** The attributes of the `message` event of the `id`th message (from 1) sent or received on a call. */
export function messageEventAttributes(type: MessageType, id: number): Attributes {
  if (id === 1) return type === MESSAGE_TYPE_VALUE_SENT ? FIRST_SENT : FIRST_RECEIVED;
  return { [ATTR_MESSAGE_TYPE]: type, [ATTR_MESSAGE_ID]: id };
}

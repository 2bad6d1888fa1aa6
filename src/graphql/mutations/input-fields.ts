/** The input fields ONE store mutations share, so each names a purchase the same way. */

import type { InputFieldBuilder } from '@pothos/core';
import type { builder } from '../builder.js';
import { MarketEnum } from '../types/enums.js';
import { MARKET_ARG } from '../types/purchase.js';

type InputFields = InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

/** The input fields that name a ONE store purchase (checked by `ONE_STORE_REF`). */
export const purchaseRefInputFields = (t: InputFields) => ({
  productId: t.string({ required: true }),
  purchaseToken: t.string({ required: true }),
});

/** The input fields that name a ONE store purchase and the payload it must carry (`payloadRef`). */
export const payloadRefInputFields = (t: InputFields) => ({
  ...purchaseRefInputFields(t),
  developerPayload: t.string({
    required: false,
    description: 'When given, must match the purchase (max 200).',
  }),
});

/** The optional `market` input field: which of the app's ONE store markets the purchase is in. */
export const marketInputField = (t: InputFields) =>
  t.field({ type: MarketEnum, required: false, description: MARKET_ARG });

/** What GraphiQL opens with in sandbox mode: operations that work on the demo data as they are. */
export const GRAPHIQL_EXAMPLES = `# Entitlement gateway, sandbox mode: pick an operation with the run button.
# The app is "demo"; GET /sandbox/v1/demo on the sandbox lists every demo token.

query VerifyPurchase {
  purchase(app: "demo", productId: "gem_100", purchaseToken: "DEMOINAPP00000000001") {
    __typename
    ... on Purchase {
      purchaseState
      consumptionState
      acknowledgementState
      quantity
      purchasedAt
      acknowledgeDeadline
      entitlement { active reason }
      item { ... on Item { name itemSeq } }
    }
    ... on Error { code message }
  }
}

query CheckEntitlements {
  checkEntitlements(
    app: "demo"
    checks: [
      { store: ONESTORE, productId: "gem_100", purchaseToken: "DEMOINAPP00000000001" }
      { store: ONESTORE, productId: "gem_500", purchaseToken: "DEMOINAPP00000000003" }
      { store: ONESTORE, kind: SUBSCRIPTION, productId: "pro_subscription", purchaseToken: "DEMOSUBS000000000001" }
      # A purchase of ONE store's global market: without market: MKT_GLB it is NOT_FOUND, as the store answers.
      { store: ONESTORE, market: MKT_GLB, productId: "gem_100", purchaseToken: "DEMOINAPP00000000005" }
      { store: NHN_CLOUD, paymentSeq: "2016122110023124", purchaseToken: "demo-token-gas-1", userKey: "tester" }
    ]
  ) {
    __typename
    ... on EntitlementCheckList {
      checks {
        index
        active
        entitlement { reason expiresAt }
        purchase { __typename ... on Error { code } }
        subscription { __typename ... on Error { code } }
      }
    }
    ... on Error { code message }
  }
}

query SubscriptionStatus {
  subscription(app: "demo", productId: "pro_subscription", purchaseToken: "DEMOSUBS000000000002") {
    __typename
    ... on Subscription {
      kind
      status
      autoRenewing
      expiresAt
      nextPaymentAt
      price { amount currency }
      entitlement { active reason }
    }
    ... on Error { code message }
  }
}

query VoidedPurchases {
  voidedPurchases(app: "demo", first: 20) {
    __typename
    ... on VoidedPurchaseConnection {
      edges { node { purchaseToken purchasedAt voidedAt } }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { code message }
  }
}

query UnconsumedNhnPayments {
  unconsumedPurchases(app: "demo", userKey: "tester") {
    __typename
    ... on UnconsumedPurchases {
      purchases { paymentSeq itemSeq price { amount currency } item { ... on Item { name } } }
    }
    ... on Error { code message }
  }
}

# Exactly-once delivery: verify, record a grant, consume. Run it twice: the same grant, alreadyRedeemed true.
mutation RedeemGamebaseGems {
  redeemPurchase(
    input: {
      app: "demo"
      userId: "AS@DEMOUSER0001"
      gamebase: { paymentSeq: "2026112310000001", purchaseToken: "demo-gb-token-gem100-1", productId: "gem_100" }
    }
  ) {
    __typename
    ... on RedeemPurchaseSuccess {
      alreadyRedeemed
      grant { id productId quantity status outcome price { amount currency } createdAt }
    }
    ... on RedemptionInProgressError { retryAfterSeconds }
    ... on Error { code message }
  }
}

query PlayerGrants {
  grants(app: "demo", userId: "AS@DEMOUSER0001", first: 20) {
    __typename
    ... on GrantConnection {
      edges { node { id store productId quantity status outcome createdAt revokedAt } }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { code message }
  }
}

# Live (server-sent events): the demo app's events, from its first, then each new one as it happens. While
# it runs (the run button is then a stop button), redeem in a second browser tab to see one arrive, e.g.
# RedeemGamebaseGems with paymentSeq "2026112310000002", purchaseToken "demo-gb-token-gem500-1" and
# productId "gem_500". To resume after a disconnect, pass after: "<the last cursor you got>". Without
# types: every event, the players' ENTITLEMENT_* and the subscriptions' lifecycle events too.
subscription WatchGrantEvents {
  gatewayEvents(app: "demo", types: [GRANT_CREATED, GRANT_SETTLED, GRANT_REVOKED]) {
    __typename
    id
    cursor
    type
    occurredAt
    grant { id userId productId quantity status revokedAt }
  }
}

mutation ConsumeGems {
  consumePurchase(
    input: {
      app: "demo"
      onestore: { productId: "gem_100", purchaseToken: "DEMOINAPP00000000001", developerPayload: "order-1001" }
    }
  ) {
    __typename
    ... on ConsumePurchaseSuccess { purchase { consumptionState entitlement { active reason } } }
    ... on Error { code message }
  }
}

mutation CancelSubscription {
  cancelSubscription(input: { app: "demo", productId: "pro_subscription", purchaseToken: "DEMOSUBS000000000001" }) {
    __typename
    ... on SubscriptionChange { kind subscription { status autoRenewing expiresAt } }
    ... on Error { code message }
  }
}
`;

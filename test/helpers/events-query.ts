import { APP, type GatewayHarness } from './gateway.js';

/** The fields by which an event names what it is about; a node selection includes those it reads. */
export interface EventSubject {
  paymentSeq?: string | null;
  purchase?: { purchaseToken: string } | null;
  subscription?: { purchaseToken: string } | null;
}

/**
 * App A's first 100 events, as the gatewayEvents query lists them with the node selection `fields`,
 * kept where `subject` is the event's payment, purchase token or subscription token.
 */
export async function eventsAbout<T extends EventSubject>(
  g: GatewayHarness,
  fields: string,
  subject: string,
): Promise<T[]> {
  const answer = await g.gql(
    `query ($app: String!) {
      gatewayEvents(app: $app, first: 100) { ... on GatewayEventConnection { edges { node { ${fields} } } } }
    }`,
    { app: APP },
  );
  const edges = (answer.data.gatewayEvents as { edges: { node: T }[] }).edges;
  return edges
    .map((e) => e.node)
    .filter(
      (n) =>
        n.purchase?.purchaseToken === subject ||
        n.subscription?.purchaseToken === subject ||
        n.paymentSeq === subject,
    );
}

/**
 * Mesh Compose configuration of the peer contestant: one OpenAPI subgraph over the store sandbox.
 * The store's access token is forwarded from the client's `Authorization` header, the way the Mesh
 * docs show for dynamic headers; ONE store wants `Content-Type: application/json` on every call.
 * `npm run bench` composes it (`mesh-compose -o supergraph.graphql`) with PEER_UPSTREAM set to the
 * sandbox, then serves the supergraph with the Hive Gateway CLI.
 */
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('OneStore', {
        source: './onestore-openapi.yaml',
        endpoint: process.env.PEER_UPSTREAM ?? 'http://127.0.0.1:4299',
        operationHeaders: {
          Authorization: '{context.headers.authorization}',
          'Content-Type': 'application/json',
        },
      }),
    },
  ],
});

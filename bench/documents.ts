/** The ERC-721 document every benchmark writes for token `id`: about 500 bytes, varied traits. */
export const documentFor = (id: number): Record<string, unknown> => ({
  name: `Doodle #${id}`,
  description: 'A community-driven collectibles project featuring art by Burnt Toast. Each token is unique and hand drawn.',
  image: `ipfs://QmPMc4tcBsMqLRuCQtPmPe84bpSjrC3Ky7t3JWuHXYB4aS/${id}`,
  external_url: `https://example.org/tokens/${id}`,
  attributes: [
    { trait_type: 'face', value: ['happy', 'sad', 'sleepy', 'grin'][id % 4] },
    { trait_type: 'hair', value: ['purple', 'blue', 'green', 'none'][id % 3] },
    { trait_type: 'body', value: 'hoodie' },
    { trait_type: 'background', value: ['gradient', 'blue', 'pink'][id % 3] },
    { display_type: 'number', trait_type: 'generation', value: 1 + (id % 5) },
  ],
})

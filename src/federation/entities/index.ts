// Entities of the federation feature.
export const federationEntities: Function[] = [];

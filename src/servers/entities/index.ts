// Entities of the servers feature.
export const serversEntities: Function[] = [];

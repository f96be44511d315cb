// Entities of the relay feature.
export const relayEntities: Function[] = [];

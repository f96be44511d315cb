// Entities of the hub-info feature.
export const hubInfoEntities: Function[] = [];

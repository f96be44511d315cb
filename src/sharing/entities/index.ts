// Entities of the sharing feature.
export const sharingEntities: Function[] = [];

// Entities of the sharing feature.
import { LibraryShare } from './library-share.entity.js';
import { InviteLink } from './invite-link.entity.js';
export const sharingEntities: Function[] = [LibraryShare, InviteLink];

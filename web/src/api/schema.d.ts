// Generated from the hub's OpenAPI document by web/scripts/gen-api.mjs (npm run gen:api). Do not edit.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["JwksController_jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/phlix-hub.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Same as GET /api/v1/hub, at a well-known location */
        get: operations["HubInfoController_wellKnown"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit-logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminAuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/cluster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ClusterController_cluster"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminDashboardController_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/dashboard/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminDashboardController_legacySummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/hub-info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Published hub info plus the source of each value (env or admin) */
        get: operations["AdminHubInfoController_get"];
        /** Override name, public URL and policies (durable); null reverts a field to the env value */
        put: operations["AdminHubInfoController_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/invite-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminSharingController_listInvites"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/invite-links/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["AdminSharingController_revokeInvite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/relay/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminRelayController_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminServersController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/servers/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AdminServersController_release"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminSharingController_listShares"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shares/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["AdminSharingController_revokeShare"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/trusted-hubs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminTrustedHubsController_list"];
        put?: never;
        /** Trust a peer hub: accept identity tokens signed by its keys */
        post: operations["AdminTrustedHubsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/trusted-hubs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminTrustedHubsController_get"];
        put?: never;
        post?: never;
        /** Remove trust: the peer's linked users are refused from their next request */
        delete: operations["AdminTrustedHubsController_remove"];
        options?: never;
        head?: never;
        /** Update a peer (name, url, keys) or block / unblock it */
        patch: operations["AdminTrustedHubsController_patch"];
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminUsersController_list"];
        put?: never;
        post: operations["AdminUsersController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminUsersController_get"];
        put?: never;
        post?: never;
        delete: operations["AdminUsersController_remove"];
        options?: never;
        head?: never;
        patch: operations["AdminUsersController_patch"];
        trace?: never;
    };
    "/api/v1/admin/users/{id}/bandwidth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AdminRelayController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/quota": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["AdminRelayController_quota"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/throttle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["AdminRelayController_throttle"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeem an identity token of a trusted hub: sign in to the linked (shadow) account
         * @description The issuer must be a trusted, unblocked hub; the token must be addressed to this hub, unexpired and unused.
         */
        post: operations["IdentityController_link"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeController_authMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/federation/peers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Announce this hub as a federation peer (not implemented in v1)
         * @deprecated
         * @description Reserved for hub-to-hub federation, which is NOT implemented in v1. Always answers 501 {error, code: "federation.not_implemented"} with a Link header to the documentation, for every caller; nothing is looked up. Manual account linking (POST /api/v1/auth/link) is the only cross-hub path.
         */
        post: operations["FederationStubsController_peers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hub": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This hub's identity and policies (federation.enabled is false in v1) */
        get: operations["HubInfoController_hub"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hubs/{hubId}/libraries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the shared libraries of a hub (not implemented in v1)
         * @deprecated
         * @description Reserved for hub-to-hub federation, which is NOT implemented in v1. Always answers 501 {error, code: "federation.not_implemented"} with a Link header to the documentation, for every caller; nothing is looked up. Manual account linking (POST /api/v1/auth/link) is the only cross-hub path.
         */
        get: operations["FederationStubsController_libraries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hubs/{hubId}/servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the servers of a hub (not implemented in v1)
         * @deprecated
         * @description Reserved for hub-to-hub federation, which is NOT implemented in v1. Always answers 501 {error, code: "federation.not_implemented"} with a Link header to the documentation, for every caller; nothing is looked up. Manual account linking (POST /api/v1/auth/link) is the only cross-hub path.
         */
        get: operations["FederationStubsController_servers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hubs/{hubId}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the users of a hub (not implemented in v1)
         * @deprecated
         * @description Reserved for hub-to-hub federation, which is NOT implemented in v1. Always answers 501 {error, code: "federation.not_implemented"} with a Link header to the documentation, for every caller; nothing is looked up. Manual account linking (POST /api/v1/auth/link) is the only cross-hub path.
         */
        get: operations["FederationStubsController_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invite-links/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["InvitesController_preview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invite-links/{token}/redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["InvitesController_redeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["MeProfileController_update"];
        trace?: never;
    };
    "/api/v1/me/bandwidth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeBandwidthController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/claim-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerClaimsController_createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/identity-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a single-use identity token (≤ 10 min) for one other hub
         * @description Carries only your user id and username. Linked accounts cannot mint (trust is not transitive).
         */
        post: operations["IdentityController_mint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/invite-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["InvitesController_list"];
        put?: never;
        post: operations["InvitesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/invite-links/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["InvitesController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/invite-links/{token}/redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["InvitesController_redeemAlias"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/libraries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeServersController_libraries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/media-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["MediaLinksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/media-links/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["MediaLinksController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["MePasswordController_changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/relay-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["RelayTokensController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/relay-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["RelayTokensController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeServersController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/servers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MeServersController_detail"];
        put?: never;
        post?: never;
        delete: operations["MeServersController_unclaim"];
        options?: never;
        head?: never;
        patch: operations["MeServersController_rename"];
        trace?: never;
    };
    "/api/v1/me/servers/{id}/open": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["OriginOpenController_open"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/servers/{id}/relay-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["RelayTokensController_issue"];
        delete: operations["RelayTokensController_revokeServer"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SharesController_list"];
        put?: never;
        post: operations["SharesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/shares/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["SharesController_revoke"];
        options?: never;
        head?: never;
        patch: operations["SharesController_patch"];
        trace?: never;
    };
    "/api/v1/relay/client/{server_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Raw client channel (WebSocket upgrade)
         * @description Bytes to and from the server over its tunnel. Token from POST /api/v1/me/servers/{id}/relay-token in Authorization: Bearer or the `bearer` subprotocol (never the query). Owners only, unless the owner allowed raw channels on a whole-server download share; a grantee's channel carries HTTP read requests only. Close codes: 4401 unauthorized, 4403 access_denied / quota, 4429 rate limited, 1013 not connected / stream limit.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    server_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description switching protocols; refusals close the socket after the upgrade with the codes above */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/relay/tunnel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server tunnel (WebSocket upgrade)
         * @description A media server or the agent keeps this WebSocket open; the first message is a JSON HELLO carrying the enrollment JWT, then binary frames (docs/protocol/wire.md). Also on HUB_RELAY_PORT.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description switching protocols; refused HELLOs close with 1008 and a reason */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-claims/{claimId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ServerClaimsController_poll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-claims/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerClaimsController_challenge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-claims/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerClaimsController_redeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-claims/new": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerClaimsController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/servers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["ServerSelfController_deregister"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/servers/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerSelfController_heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/servers/{id}/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ServerSelfController_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/servers/{id}/proxy/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * GET through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * PUT through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * POST through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * DELETE through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * OPTIONS through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * HEAD through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        head: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        /**
         * PATCH through the server's tunnel
         * @description HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the server path (may contain /) */
                    path: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the server's answer (any status, headers and body the share allows) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description relay.bad_path: the path cannot be relayed */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description auth.required / auth.invalid_token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.access_denied: the share does not allow this request or this response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description server.not_found: no such server, or no share of it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.rate_limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.bad_gateway */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.server_unreachable / relay.quota_exceeded / relay.stream_limit */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
                /** @description relay.timeout */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/servers/{id}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ServerSelfController_renew"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/servers/{id}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ServerSharesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Bearer HUB_METRICS_TOKEN when configured; else loopback only unless HUB_METRICS_PUBLIC.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4": string;
                    };
                };
                /** @description metrics.forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RelayError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AdminCreateUserDto: {
            display_name?: string;
            /** @example alice@example.com */
            email: string;
            is_admin?: boolean;
            password: string;
            region?: string;
            /**
             * @description 3–50 letters, digits, _ . -; starts with a letter or digit
             * @example alice
             */
            username: string;
        };
        AdminHubInfoDto: {
            /** @description text or a URL */
            content_policy: string | null;
            federation: components["schemas"]["HubFederationDto"];
            hub_id: string;
            name: string;
            /** @description text or a URL */
            privacy_policy: string | null;
            /** Format: uri */
            public_url: string;
            sources: components["schemas"]["HubInfoSourcesDto"];
            /** @description text or a URL */
            terms_of_service: string | null;
            version: string;
        };
        AdminPatchUserDto: {
            /** @description disabled accounts are refused at once (tokens revoked) */
            disabled?: boolean;
            display_name?: string;
            email?: string;
            is_admin?: boolean;
            /** @description reset the password (ends every session of the user) */
            password?: string;
            /** @description null clears it */
            region?: string | null;
            /** @description rename (3–50 letters, digits, _ . -) */
            username?: string;
        };
        AdminServerDto: {
            /** Format: date-time */
            created_at: string | null;
            /** Format: date-time */
            enrolled_at: string | null;
            /** Format: date-time */
            enrollment_expires_at: string | null;
            hostname_candidates: string[];
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_seen_at: string | null;
            library_count: number | null;
            name: string;
            owner: components["schemas"]["ServerOwnerDto"] | null;
            /** Format: uuid */
            owner_id: string | null;
            relay_active: boolean;
            /** Format: date-time */
            released_at: string | null;
            /** @enum {string} */
            status: "claiming" | "online" | "offline" | "disabled" | "released";
            subdomain: string | null;
            version: string;
        };
        AdminServerPageDto: {
            items: components["schemas"]["AdminServerDto"][];
            page: number;
            per_page: number;
            total: number;
        };
        AuditEntryDto: {
            /** @example server.claimed */
            action: string;
            actor_id: string | null;
            /** @enum {string} */
            actor_type: "user" | "admin" | "server" | "system" | "cli" | "anonymous";
            actor_username: string | null;
            /** Format: date-time */
            at: string;
            /** @description action-specific facts (never secrets) */
            details: {
                [key: string]: unknown;
            } | null;
            id: string;
            ip: string | null;
            /** @enum {string} */
            outcome: "success" | "failure" | "denied";
            target_id: string | null;
            target_type: string | null;
        };
        AuditPageDto: {
            /** @description newest first */
            items: components["schemas"]["AuditEntryDto"][];
            page: number;
            per_page: number;
            total: number;
        };
        AuthMeResponseDto: {
            user: components["schemas"]["UserDto"];
        };
        AuthSessionDto: {
            /** @description access JWT for `Authorization: Bearer` */
            access_token: string;
            /** @description seconds until the access token expires */
            expires_in: number;
            /** @description single-use refresh token (rotated on every refresh) */
            refresh_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            user: components["schemas"]["UserDto"];
        };
        BandwidthDto: {
            active_streams: number;
            bytes_in: number;
            bytes_out: number;
            max_concurrent_streams: number;
            /** @description admin views only */
            overrides?: components["schemas"]["LimitOverridesDto"];
            /**
             * @description the month (UTC)
             * @example 2026-01
             */
            period: string;
            /** Format: date-time */
            period_end: string;
            /** Format: date-time */
            period_start: string;
            quota_bytes_in: number;
            quota_bytes_out: number;
            servers: components["schemas"]["ServerUsageDto"][];
            throttle_bps: number;
            /** Format: uuid */
            user_id: string;
        };
        ChangePasswordDto: {
            /** @description the password the account has now */
            current_password: string;
            /** @description at least 8 characters, not the current one */
            new_password: string;
        };
        ClaimChallengeDto: {
            /** @description a signed one-time challenge for keyProof */
            challenge: string;
            /** @description seconds */
            expires_in: number;
        };
        ClaimPollDto: {
            /** @description first poll after the claim only */
            enrollment_jwt?: string;
            /** @description twin of enrollment_jwt */
            enrollmentJwt?: string;
            /** @description pending: UNIX seconds; with the enrollment: when the JWT expires */
            expires_at?: number;
            /** @description pending: seconds left */
            expires_in?: number;
            /** Format: uri */
            hub_base_url?: string;
            /** Format: uri */
            hub_jwks_url?: string;
            /**
             * Format: uri
             * @description twin of hub_base_url
             */
            hubBaseUrl?: string;
            /**
             * Format: uri
             * @description twin of hub_jwks_url
             */
            hubJwksUrl?: string;
            /** Format: uuid */
            server_id?: string | null;
            /**
             * Format: uuid
             * @description twin of server_id
             */
            serverId?: string;
            /** @enum {string} */
            status: "pending" | "claimed" | "expired";
        };
        ClaimRedeemedDto: {
            /** Format: uri */
            hub_jwks_url: string;
            server: components["schemas"]["ServerInfoDto"];
            /** Format: uuid */
            server_id: string;
            server_name: string;
            /** @enum {string} */
            status: "claimed";
        };
        ClaimResponseDto: {
            /** @description twin of claimCode */
            claim_code: string;
            /**
             * Format: uuid
             * @description twin of claimId
             */
            claim_id: string;
            /**
             * @description the code the owner types in
             * @example ABCD-EFGH
             */
            claimCode: string;
            /**
             * Format: uuid
             * @description poll secret: GET /api/v1/server-claims/{claimId}
             */
            claimId: string;
            /** @description UNIX seconds */
            expires_at: number;
            /** @description twin of expiresIn */
            expires_in: number;
            /** @description seconds */
            expiresIn: number;
            /**
             * Format: uri
             * @description twin of hubBaseUrl
             */
            hub_base_url: string;
            /** Format: uri */
            hubBaseUrl: string;
            /**
             * Format: uuid
             * @description twin of serverId
             */
            server_id?: string;
            /**
             * Format: uuid
             * @description only when claimed by a claim token
             */
            serverId?: string;
            /**
             * @description claimed at once when a claim token came with the request
             * @enum {string}
             */
            status: "pending" | "claimed";
        };
        ClaimTokenDto: {
            /** @description present as claimToken on claims/new (or X-Phlix-Claim-Token) */
            claim_token: string;
            /** Format: date-time */
            expires_at: string;
            /** @description seconds */
            expires_in: number;
        };
        ClusterDto: {
            /** @description true when HUB_REDIS_URL is set */
            enabled: boolean;
            /** @description the replica that answered ("" on a single hub) */
            node_id: string;
            nodes: components["schemas"]["ClusterNodeDto"][];
        };
        ClusterNodeDto: {
            /** @description HUB_RELAY_NODE, else host:port of HUB_NODE_URL */
            id: string;
            /** @description heartbeat within the last three intervals */
            live: boolean;
            /** Format: date-time */
            seen_at: string;
            /** Format: date-time */
            started_at: string;
            /** @enum {string} */
            state: "up" | "draining" | "stopped";
            /** @description internal address (HUB_NODE_URL) */
            url: string;
        };
        CookieSessionDto: {
            /** @description seconds until the access cookie expires (then refresh) */
            expires_in: number;
            /** @enum {string} */
            token_type: "Cookie";
            user: components["schemas"]["UserDto"];
        };
        CreateInviteDto: {
            /**
             * @description seconds until the link expires; 0 = never
             * @default 604800
             */
            expires_in: number;
            /** @description the server's library id; null or absent = the whole server */
            library_id?: string | null;
            /** @default 1 */
            max_uses: number;
            /** @enum {string} */
            permission: "view" | "play" | "download";
            /** Format: uuid */
            server_id: string;
        };
        CreateMediaLinkDto: {
            /**
             * @description path prefix on the server the link reaches (a file, or a folder ending in /)
             * @example /media/movie.mp4
             */
            path: string;
            /** Format: uuid */
            server_id: string;
            /** @default 3600 */
            ttl_seconds: number;
        };
        CreateShareDto: {
            /** @description let the grantee open raw client channels (only on a whole-server share with download; default false) */
            allow_raw_channels?: boolean;
            /** @description recipient email (or give username) */
            email?: string;
            /** @description ISO-8601 date in the future; absent/null = never */
            expires_at?: string | null;
            /** @description the server's library id; null or absent = the whole server */
            library_id?: string | null;
            /**
             * @description view ⊂ play ⊂ download
             * @enum {string}
             */
            permission: "view" | "play" | "download";
            /** Format: uuid */
            server_id: string;
            /** @description recipient username (or give email) */
            username?: string;
        };
        CreateTrustedHubDto: {
            /** @description add the peer already blocked */
            blocked?: boolean;
            /**
             * @description the peer's HUB_ID (the issuer of its tokens)
             * @example hub-a
             */
            hub_id: string;
            /** @description the peer's public keys: its GET /.well-known/jwks.json (object or JSON text); Ed25519 (OKP) keys with a kid only */
            jwks: Record<string, never>;
            /** @example Hub A (friends) */
            name: string;
            /** @example https://hub-a.example.com */
            url: string;
        };
        DashboardDto: {
            /** Format: date-time */
            generated_at: string;
            /** @description the 10 newest audit entries */
            recent_activity: components["schemas"]["AuditEntryDto"][];
            relay: components["schemas"]["DashboardRelayDto"];
            servers: components["schemas"]["DashboardServersDto"];
            users: components["schemas"]["DashboardUsersDto"];
        };
        DashboardRelayDto: {
            active_streams: number;
            active_tunnels: number;
            /** @description an upper bound: bytes of tunnels open today (UTC), per tunnel lifetime */
            bytes_today: number;
            /** Format: date-time */
            bytes_today_since: string;
            /** @description how bytes_today is counted, or why it is not available */
            note?: string;
        };
        DashboardServersDto: {
            claiming: number;
            disabled: number;
            offline: number;
            online: number;
            total: number;
        };
        DashboardUsersDto: {
            admins: number;
            disabled: number;
            total: number;
        };
        EnrollmentDto: {
            enrollment_jwt: string;
            /** @description UNIX seconds */
            expires_at: number;
            /** @description seconds */
            expires_in: number;
            /** Format: uri */
            hub_base_url: string;
            /** Format: uri */
            hub_jwks_url: string;
            /** Format: uuid */
            server_id: string;
        };
        HealthDto: {
            /** @enum {string} */
            db: "up" | "down";
            /** @description every check (terminus) */
            details?: {
                [key: string]: unknown;
            };
            /** @description the checks that failed (terminus) */
            error?: {
                [key: string]: unknown;
            };
            /** @description the checks that passed (terminus) */
            info?: {
                [key: string]: unknown;
            };
            live: boolean;
            ready: boolean;
            /** @enum {string} */
            status: "ok" | "degraded";
            /** @description seconds since the process started */
            uptime_s: number;
        };
        HealthLiveDto: {
            live: boolean;
            /** @enum {string} */
            status: "ok";
        };
        HealthReadyDto: {
            /** @enum {string} */
            db: "up";
            ready: boolean;
            /** @enum {string} */
            status: "ok";
        };
        HeartbeatAckDto: {
            libraries_changed: boolean;
            /** @description seconds until the next heartbeat is expected */
            next_heartbeat_in: number;
            /** @description UNIX seconds */
            received_at: number;
            /** Format: uuid */
            server_id: string;
            /** @enum {string} */
            status: "ok";
        };
        HeartbeatHistoryDto: {
            active_sessions: number;
            active_transcodes: number;
            hostname_candidates: string[];
            /** Format: uuid */
            id: string;
            /** @description UNIX seconds */
            received_at: number;
            /** @description UNIX seconds, the server's own timestamp */
            sent_at: number | null;
            uptime_seconds: number;
            version: string;
        };
        HubFederationDto: {
            /** @description hub-to-hub federation: always false in v1 */
            enabled: boolean;
            /** Format: uri */
            jwks_uri: string;
            /** Format: uri */
            link_endpoint: string;
            manual_account_linking: boolean;
        };
        HubInfoDto: {
            /** @description text or a URL */
            content_policy: string | null;
            federation: components["schemas"]["HubFederationDto"];
            hub_id: string;
            name: string;
            /** @description text or a URL */
            privacy_policy: string | null;
            /** Format: uri */
            public_url: string;
            /** @description text or a URL */
            terms_of_service: string | null;
            version: string;
        };
        HubInfoSourcesDto: {
            /** @enum {string} */
            content_policy: "env" | "admin";
            /** @enum {string} */
            name: "env" | "admin";
            /** @enum {string} */
            privacy_policy: "env" | "admin";
            /** @enum {string} */
            public_url: "env" | "admin";
            /** @enum {string} */
            terms_of_service: "env" | "admin";
        };
        IdentityTokenDto: {
            audience_hub_id: string;
            /** Format: date-time */
            expires_at: string;
            /** @description seconds */
            expires_in: number;
            identity_token: string;
            issuer_hub_id: string;
            /** @enum {string} */
            token_type: "identity";
        };
        InviteCreatedDto: {
            /**
             * Format: date-time
             * @description null = never
             */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            library_id: string | null;
            max_uses: number;
            /** @enum {string} */
            permission: "view" | "play" | "download";
            /** Format: uuid */
            server_id: string;
            token: string;
            /** Format: uri */
            url: string;
        };
        InviteDto: {
            /** Format: date-time */
            created_at: string | null;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            library_id: string | null;
            library_name: string | null;
            max_uses: number;
            owner: components["schemas"]["PersonDto"];
            /** Format: uuid */
            owner_user_id: string;
            /** @enum {string} */
            permission: "view" | "play" | "download";
            /** Format: uuid */
            server_id: string;
            server_name: string | null;
            /** @enum {string} */
            status: "active" | "exhausted" | "expired" | "revoked";
            /** @description always null here: the link holds the token, which is not stored */
            url: string | null;
            use_count: number;
        };
        InviteListDto: {
            invite_links: components["schemas"]["InviteDto"][];
        };
        InvitePageDto: {
            items: components["schemas"]["InviteDto"][];
            page: number;
            per_page: number;
            total: number;
        };
        InvitePreviewDto: {
            /** Format: date-time */
            expires_at: string | null;
            inviter_display_name: string | null;
            library_name: string | null;
            /** @enum {string} */
            permission: "view" | "play" | "download";
            /** @enum {string} */
            scope: "server" | "library";
            server_name: string | null;
        };
        JwkDto: {
            /** @example EdDSA */
            alg: string;
            /** @example Ed25519 */
            crv: string;
            /** @description key id (base64url SHA-256 of the public key) */
            kid: string;
            /** @example OKP */
            kty: string;
            /** @enum {string} */
            use: "sig";
            /** @description public key (base64url) */
            x: string;
            /** @description second coordinate, for EC keys */
            y?: string;
        };
        JwksDto: {
            keys: components["schemas"]["JwkDto"][];
        };
        LimitOverridesDto: {
            max_concurrent_streams: number | null;
            quota_bytes_in: number | null;
            quota_bytes_out: number | null;
            throttle_bps: number | null;
        };
        LinkAccountDto: {
            /** @description identity token minted by your home hub for this hub (POST /api/v1/me/identity-tokens there) */
            identity_token: string;
        };
        LinkedAccountDto: {
            /** @description true when this sign-in created the linked account */
            created: boolean;
            /** @description the trusted hub the account is linked from */
            hub_id: string;
            /** @description the user's id on that hub */
            remote_user_id: string;
        };
        LinkedSessionDto: {
            /** @description access JWT for `Authorization: Bearer` */
            access_token: string;
            /** @description seconds until the access token expires */
            expires_in: number;
            linked: components["schemas"]["LinkedAccountDto"];
            /** @description single-use refresh token (rotated on every refresh) */
            refresh_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            user: components["schemas"]["UserDto"];
        };
        LoginDto: {
            email?: string;
            password: string;
            /** @description username or email (one of the two is required) */
            username?: string;
        };
        LogoutDto: {
            /** @description the session to end (its whole refresh-token family is revoked) */
            refresh_token?: string;
        };
        MediaLinkDto: {
            /** Format: date-time */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** @description the path prefix the link reaches */
            path: string;
            /** Format: uuid */
            server_id: string;
            /**
             * Format: uri
             * @description <HUB_PUBLIC_URL>/m/<secret><path>: open it in VLC, mpv or a TV (Range requests work)
             */
            url: string;
        };
        MintIdentityTokenDto: {
            /**
             * @description HUB_ID of the hub the token will be presented to (its only audience)
             * @example hub-b
             */
            audience_hub_id: string;
        };
        OriginEntryDto: {
            /** Format: date-time */
            expires_at: string;
            /**
             * Format: uri
             * @description open this in the browser (once, within a minute): it signs you in on the server’s own origin and goes to its start page
             */
            url: string;
        };
        OwnedLibraryDto: {
            /** @description the server's library id */
            id: string;
            name: string;
            /** @description generic origins: the path prefix this library is */
            path_prefix?: string | null;
            /** Format: uuid */
            server_id: string;
            server_name: string | null;
        };
        OwnedLibraryListDto: {
            libraries: components["schemas"]["OwnedLibraryDto"][];
        };
        PasswordChangedDto: {
            /** @example true */
            changed: boolean;
            /** @description the account's other sessions (refresh-token families) that were ended; this one stays signed in */
            sessions_ended: number;
        };
        PatchShareDto: {
            /** @description let the grantee open raw client channels (only on a whole-server share with download; default false) */
            allow_raw_channels?: boolean;
            /** @description ISO-8601 date in the future; null = never */
            expires_at?: string | null;
            /** @enum {string} */
            permission?: "view" | "play" | "download";
        };
        PatchTrustedHubDto: {
            /** @description true stops the peer's tokens and its linked users at once; false lifts the block */
            blocked?: boolean;
            /** @description replace the keys (rotation): the peer's public keys: its GET /.well-known/jwks.json (object or JSON text); Ed25519 (OKP) keys with a kid only */
            jwks?: Record<string, never>;
            name?: string;
            url?: string;
        };
        PersonDto: {
            display_name: string | null;
            /** Format: uuid */
            id: string;
            /** @description null once the account is gone */
            username: string | null;
        };
        PutHubInfoDto: {
            /** @description content policy: text or a URL (≤ 20000). null reverts to the value from the environment; absent leaves it unchanged */
            content_policy?: string | null;
            /** @description hub display name (1–200). null reverts to the value from the environment; absent leaves it unchanged */
            name?: string | null;
            /** @description privacy policy: text or a URL (≤ 20000). null reverts to the value from the environment; absent leaves it unchanged */
            privacy_policy?: string | null;
            /** @description public URL of the hub. null reverts to the value from the environment; absent leaves it unchanged */
            public_url?: string | null;
            /** @description terms of service: text or a URL (≤ 20000). null reverts to the value from the environment; absent leaves it unchanged */
            terms_of_service?: string | null;
        };
        PutQuotaDto: {
            /** @description concurrent relay streams; 0 = unlimited, null = hub default */
            max_concurrent_streams: Record<string, never> | null;
            /** @description bytes per month the user may download through the relay; 0 = unlimited, null = hub default */
            quota_bytes_in: Record<string, never> | null;
            /** @description bytes per month the user may upload through the relay; 0 = unlimited, null = hub default */
            quota_bytes_out: Record<string, never> | null;
        };
        PutThrottleDto: {
            /** @description bits per second shared by the user's relay streams; 0 = unlimited, null = hub default, else 64000–100000000000 (Phlix levels 1e6, 3e6, 5e6, 1e7, 2e7, 5e7 all fit) */
            throttle_bps: Record<string, never> | null;
        };
        RefreshDto: {
            /** @description the refresh token; required unless the request asks for a cookie session (X-Phlix-Session: cookie), which uses its refresh cookie */
            refresh_token?: string;
        };
        RegisterDto: {
            display_name?: string;
            /** @example alice@example.com */
            email: string;
            password: string;
            /**
             * @description 3–50 letters, digits, _ . -; starts with a letter or digit
             * @example alice
             */
            username: string;
        };
        RelayError: {
            code: string;
            error: string;
        };
        RelaySessionViewDto: {
            bytes_in: number;
            bytes_out: number;
            id: string;
            /** @description UNIX seconds */
            last_frame_at: number | null;
            /** Format: date-time */
            opened_at: string;
            worker_node: string;
        };
        RelayTokenDto: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_used_at: string | null;
            /** Format: uuid */
            server_id: string;
        };
        RelayTokenIssuedDto: {
            /** Format: date-time */
            expires_at: string;
            /** @description seconds */
            expires_in: number;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            server_id: string;
            token: string;
            /** @enum {string} */
            token_type: "Bearer";
            /**
             * Format: uri
             * @description the raw client channel to open with this token
             */
            ws_url: string;
        };
        RelayTokenListDto: {
            tokens: components["schemas"]["RelayTokenDto"][];
        };
        RelayTokensRevokedDto: {
            /** @description how many tokens were revoked (their channels are closed) */
            revoked: number;
        };
        RelayUsageOverviewDto: {
            active_streams: number;
            bytes_in: number;
            bytes_out: number;
            /** @example 2026-01 */
            period: string;
            /** Format: date-time */
            period_end: string;
            /** Format: date-time */
            period_start: string;
            servers: components["schemas"]["ServerUsageDto"][];
            users: components["schemas"]["UserUsageDto"][];
        };
        RenameServerDto: {
            /**
             * @description the name shown to you and to the people you share with
             * @example Living room
             */
            name: string;
        };
        ServerDetailDto: {
            /** @description newest first */
            heartbeat_history: components["schemas"]["HeartbeatHistoryDto"][];
            info: components["schemas"]["ServerInfoDto"];
            libraries: components["schemas"]["ServerLibraryDto"][];
            relay_session: components["schemas"]["RelaySessionViewDto"] | null;
            server: components["schemas"]["ServerDetailViewDto"];
        };
        ServerDetailViewDto: {
            capabilities: string[];
            /** @description UNIX seconds */
            enrolled_at: number | null;
            fqdn: string | null;
            hostname_candidates: string[];
            /** Format: uuid */
            id: string;
            /** @description UNIX seconds */
            last_seen_at: number | null;
            library_count: number | null;
            relay_active: boolean;
            /**
             * Format: uri
             * @description where clients reach this server through the hub
             */
            relay_url?: string;
            server_name: string;
            /** @enum {string} */
            status: "claiming" | "online" | "offline" | "disabled";
            subdomain: string | null;
            version: string;
        };
        ServerGrantDto: {
            display_name: string | null;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            /** @description null = the whole server */
            library_id: string | null;
            library_name: string | null;
            /** @enum {string} */
            permission: "view" | "play" | "download";
            /** Format: uuid */
            user_id: string;
            username: string | null;
        };
        ServerGrantsDto: {
            /** Format: date-time */
            generated_at: string | null;
            owner: components["schemas"]["PersonDto"];
            /** Format: uuid */
            server_id: string;
            shares: components["schemas"]["ServerGrantDto"][];
        };
        ServerInfoDto: {
            hostnameCandidates: string[];
            /** @description UNIX seconds */
            lastSeenAt: number | null;
            libraryCount: number | null;
            relayActive: boolean;
            /** Format: uuid */
            serverId: string;
            serverName: string;
            /** @enum {string} */
            status: "claiming" | "online" | "offline" | "disabled";
            subdomain: string | null;
            /** @description owner's user id (empty once released) */
            userId: string;
            version: string;
        };
        ServerLibraryDto: {
            /** @description the server's library id */
            id: string;
            name: string;
            /** @description generic origins: the path prefix this library is */
            path_prefix?: string | null;
            /** Format: uuid */
            server_id: string;
        };
        ServerListDto: {
            /** @description server id → where clients reach it through the hub */
            relay_urls: {
                [key: string]: string;
            };
            servers: components["schemas"]["ServerInfoDto"][];
        };
        ServerOwnerDto: {
            display_name: string;
            /** Format: uuid */
            id: string;
            username: string;
        };
        ServerReleasedDto: {
            /** Format: uuid */
            previous_owner_id: string;
            /** @enum {boolean} */
            released: true;
            /** Format: uuid */
            server_id: string;
        };
        ServerSelfInfoDto: {
            /** @description UNIX seconds */
            enrolled_at: number | null;
            /** @description UNIX seconds */
            enrollment_expires_at: number | null;
            fqdn: string | null;
            /** @description seconds between heartbeats */
            heartbeat_interval: number;
            hostnameCandidates: string[];
            /** Format: uri */
            hub_base_url: string;
            /** Format: uri */
            hub_jwks_url: string;
            /** @description twin of lastSeenAt */
            last_seen_at: number | null;
            /** @description UNIX seconds */
            lastSeenAt: number | null;
            /** @description twin of libraryCount */
            library_count: number | null;
            libraryCount: number | null;
            offline_after_seconds: number;
            owner: components["schemas"]["ServerOwnerDto"] | null;
            /** @description twin of relayActive */
            relay_active: boolean;
            /**
             * Format: uri
             * @description where clients reach this server through the hub
             */
            relay_url: string;
            relayActive: boolean;
            /**
             * Format: uuid
             * @description twin of serverId
             */
            server_id: string;
            /** @description twin of serverName */
            server_name: string;
            /** Format: uuid */
            serverId: string;
            serverName: string;
            /** @enum {string} */
            status: "claiming" | "online" | "offline" | "disabled";
            subdomain: string | null;
            /** @description owner's user id (empty once released) */
            userId: string;
            version: string;
        };
        ServerUsageDto: {
            bytes_in: number;
            bytes_out: number;
            /** Format: uuid */
            server_id: string;
            server_name: string | null;
        };
        ShareDto: {
            /** @description the grantee may open raw client channels (whole-server download shares only) */
            allow_raw_channels: boolean;
            /** Format: date-time */
            created_at: string | null;
            /**
             * Format: date-time
             * @description null = never
             */
            expires_at: string | null;
            grantee: components["schemas"]["PersonDto"];
            /** @description grantee.display_name, flat */
            grantee_display_name: string | null;
            /**
             * Format: uuid
             * @description grantee.id, flat
             */
            grantee_user_id: string;
            /** Format: uuid */
            id: string;
            /** @description null = the whole server */
            library_id: string | null;
            library_name: string | null;
            owner: components["schemas"]["PersonDto"];
            /** @description owner.display_name, flat */
            owner_display_name: string | null;
            /**
             * Format: uuid
             * @description owner.id, flat
             */
            owner_user_id: string;
            /**
             * @description view ⊂ play ⊂ download
             * @enum {string}
             */
            permission: "view" | "play" | "download";
            /**
             * Format: uri
             * @description where the grantee reaches the server through the hub
             */
            relay_url?: string;
            /** @enum {string} */
            scope: "server" | "library";
            /** Format: uuid */
            server_id: string;
            server_name: string | null;
            /** @description the server's tunnel is up */
            server_online?: boolean;
            /** @enum {string} */
            source: "direct" | "invite";
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
            /** Format: date-time */
            updated_at: string | null;
        };
        ShareListDto: {
            incoming: components["schemas"]["ShareDto"][];
            outgoing: components["schemas"]["ShareDto"][];
        };
        SharePageDto: {
            items: components["schemas"]["ShareDto"][];
            page: number;
            per_page: number;
            total: number;
        };
        TrustedHubDto: {
            blocked: boolean;
            /** Format: date-time */
            blocked_at: string | null;
            /** Format: date-time */
            created_at: string;
            hub_id: string;
            /** Format: uuid */
            id: string;
            /** @description the peer's public keys as a JWKS ({keys: [...]}) */
            jwks: {
                [key: string]: unknown;
            };
            key_ids: string[];
            /** @description accounts linked from this hub */
            linked_users: number;
            name: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: uri */
            url: string;
        };
        TrustedHubListDto: {
            items: components["schemas"]["TrustedHubDto"][];
        };
        UpdateProfileDto: {
            /** @description the name other people see (leading and trailing spaces are dropped) */
            display_name: string;
        };
        UserDto: {
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            display_name: string;
            /**
             * Format: email
             * @description null for accounts linked from another hub
             */
            email: string | null;
            /** Format: uuid */
            id: string;
            is_admin: boolean;
            /** @description the trusted hub this account is linked from; null for local accounts */
            linked_hub_id: string | null;
            region: string | null;
            username: string;
        };
        UserPageDto: {
            items: components["schemas"]["UserDto"][];
            page: number;
            per_page: number;
            total: number;
        };
        UserUsageDto: {
            bytes_in: number;
            bytes_out: number;
            /** Format: uuid */
            user_id: string;
            username: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    JwksController_jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JwksDto"];
                };
            };
        };
    };
    HubInfoController_wellKnown: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HubInfoDto"];
                };
            };
        };
    };
    AdminAuditController_list: {
        parameters: {
            query?: {
                /** @description exact action (auth.login_failed), or a prefix ending with "." or "*" (server.*) */
                action?: string;
                /** @description actor id (user id, server id, …) */
                actor?: string;
                outcome?: "success" | "failure" | "denied";
                page?: number;
                per_page?: number;
                /** @description ISO-8601 time, inclusive */
                since?: string;
                /** @description target id */
                target?: string;
                /** @description target type (user, server, share, …) */
                target_type?: string;
                /** @description ISO-8601 time, exclusive */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPageDto"];
                };
            };
        };
    };
    ClusterController_cluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterDto"];
                };
            };
        };
    };
    AdminDashboardController_summary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DashboardDto"];
                };
            };
        };
    };
    AdminDashboardController_legacySummary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DashboardDto"];
                };
            };
        };
    };
    AdminHubInfoController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminHubInfoDto"];
                };
            };
        };
    };
    AdminHubInfoController_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutHubInfoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminHubInfoDto"];
                };
            };
        };
    };
    AdminSharingController_listInvites: {
        parameters: {
            query?: {
                page?: number;
                per_page?: number;
                server_id?: string;
                status?: "active" | "all";
                /** @description owner or grantee (shares) / owner (invites) */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitePageDto"];
                };
            };
        };
    };
    AdminSharingController_revokeInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invite link is revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AdminRelayController_usage: {
        parameters: {
            query?: {
                limit?: number;
                /** @description UTC month 'YYYY-MM' (default: this month) */
                period?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayUsageOverviewDto"];
                };
            };
        };
    };
    AdminServersController_list: {
        parameters: {
            query?: {
                /** @description owner user id */
                owner?: string;
                page?: number;
                per_page?: number;
                /** @description substring of the server name */
                q?: string;
                /** @description "released" = no owner */
                status?: "online" | "offline" | "claiming" | "disabled" | "released";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminServerPageDto"];
                };
            };
        };
    };
    AdminServersController_release: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerReleasedDto"];
                };
            };
        };
    };
    AdminSharingController_listShares: {
        parameters: {
            query?: {
                page?: number;
                per_page?: number;
                server_id?: string;
                status?: "active" | "all";
                /** @description owner or grantee (shares) / owner (invites) */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharePageDto"];
                };
            };
        };
    };
    AdminSharingController_revokeShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The share is revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AdminTrustedHubsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedHubListDto"];
                };
            };
        };
    };
    AdminTrustedHubsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTrustedHubDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedHubDto"];
                };
            };
        };
    };
    AdminTrustedHubsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedHubDto"];
                };
            };
        };
    };
    AdminTrustedHubsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The peer is no longer trusted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AdminTrustedHubsController_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchTrustedHubDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrustedHubDto"];
                };
            };
        };
    };
    AdminUsersController_list: {
        parameters: {
            query?: {
                page?: number;
                per_page?: number;
                /** @description case-insensitive substring of username, email or display name */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
        };
    };
    AdminUsersController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminCreateUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
        };
    };
    AdminUsersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
        };
    };
    AdminUsersController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account and everything it owned on this hub are gone */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AdminUsersController_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminPatchUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
        };
    };
    AdminRelayController_get: {
        parameters: {
            query?: {
                /** @description UTC month 'YYYY-MM' (default: this month) */
                period?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BandwidthDto"];
                };
            };
        };
    };
    AdminRelayController_quota: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutQuotaDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BandwidthDto"];
                };
            };
        };
    };
    AdminRelayController_throttle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutThrottleDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BandwidthDto"];
                };
            };
        };
    };
    IdentityController_link: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkAccountDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkedSessionDto"];
                };
            };
        };
    };
    AuthController_login: {
        parameters: {
            query?: never;
            header?: {
                /** @description cookie: a browser session (HttpOnly cookies, CSRF-protected); absent: a Bearer token pair in the body */
                "X-Phlix-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSessionDto"] | components["schemas"]["CookieSessionDto"];
                };
            };
        };
    };
    AuthController_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LogoutDto"];
            };
        };
        responses: {
            /** @description Signed out: the refresh token (and the session of the access token, or the cookie session, whose cookies are cleared) no longer work */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MeController_authMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthMeResponseDto"];
                };
            };
        };
    };
    AuthController_refresh: {
        parameters: {
            query?: never;
            header?: {
                /** @description cookie: a browser session (HttpOnly cookies, CSRF-protected); absent: a Bearer token pair in the body */
                "X-Phlix-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSessionDto"] | components["schemas"]["CookieSessionDto"];
                };
            };
        };
    };
    AuthController_register: {
        parameters: {
            query?: never;
            header?: {
                /** @description cookie: a browser session (HttpOnly cookies, CSRF-protected); absent: a Bearer token pair in the body */
                "X-Phlix-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSessionDto"] | components["schemas"]["CookieSessionDto"];
                };
            };
        };
    };
    AuthController_signup: {
        parameters: {
            query?: never;
            header?: {
                /** @description cookie: a browser session (HttpOnly cookies, CSRF-protected); absent: a Bearer token pair in the body */
                "X-Phlix-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSessionDto"] | components["schemas"]["CookieSessionDto"];
                };
            };
        };
    };
    FederationStubsController_peers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description federation.not_implemented (with a Link header to the docs) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "federation.not_implemented";
                        error: string;
                    };
                };
            };
        };
    };
    HubInfoController_hub: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HubInfoDto"];
                };
            };
        };
    };
    FederationStubsController_libraries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hubId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description federation.not_implemented (with a Link header to the docs) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "federation.not_implemented";
                        error: string;
                    };
                };
            };
        };
    };
    FederationStubsController_servers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hubId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description federation.not_implemented (with a Link header to the docs) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "federation.not_implemented";
                        error: string;
                    };
                };
            };
        };
    };
    FederationStubsController_users: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                hubId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description federation.not_implemented (with a Link header to the docs) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "federation.not_implemented";
                        error: string;
                    };
                };
            };
        };
    };
    InvitesController_preview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitePreviewDto"];
                };
            };
        };
    };
    InvitesController_redeem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the share the link granted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareDto"];
                };
            };
        };
    };
    MeController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
        };
    };
    MeProfileController_update: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
        };
    };
    MeBandwidthController_get: {
        parameters: {
            query?: {
                /** @description UTC month 'YYYY-MM' (default: this month) */
                period?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BandwidthDto"];
                };
            };
        };
    };
    ServerClaimsController_createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimTokenDto"];
                };
            };
        };
    };
    IdentityController_mint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MintIdentityTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityTokenDto"];
                };
            };
        };
    };
    InvitesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteListDto"];
                };
            };
        };
    };
    InvitesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateInviteDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteCreatedDto"];
                };
            };
        };
    };
    InvitesController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invite link is revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    InvitesController_redeemAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the share the link granted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareDto"];
                };
            };
        };
    };
    MeServersController_libraries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OwnedLibraryListDto"];
                };
            };
        };
    };
    MediaLinksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMediaLinkDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaLinkDto"];
                };
            };
        };
    };
    MediaLinksController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link is revoked; streams opened with it end within a second */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MePasswordController_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordChangedDto"];
                };
            };
        };
    };
    RelayTokensController_list: {
        parameters: {
            query?: {
                server_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayTokenListDto"];
                };
            };
        };
    };
    RelayTokensController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token is revoked and its channels are closed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MeServersController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerListDto"];
                };
            };
        };
    };
    MeServersController_detail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerDetailDto"];
                };
            };
        };
    };
    MeServersController_unclaim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unclaimed: the server is no longer on your account */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MeServersController_rename: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RenameServerDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerInfoDto"];
                };
            };
        };
    };
    OriginOpenController_open: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OriginEntryDto"];
                };
            };
        };
    };
    RelayTokensController_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayTokenIssuedDto"];
                };
            };
        };
    };
    RelayTokensController_revokeServer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayTokensRevokedDto"];
                };
            };
        };
    };
    SharesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareListDto"];
                };
            };
        };
    };
    SharesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateShareDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareDto"];
                };
            };
        };
    };
    SharesController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The share is revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    SharesController_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchShareDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareDto"];
                };
            };
        };
    };
    ServerClaimsController_poll: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                claimId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimPollDto"];
                };
            };
        };
    };
    ServerClaimsController_challenge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimChallengeDto"];
                };
            };
        };
    };
    ServerClaimsController_redeem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example ABCD-EFGH */
                    claim_code: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimRedeemedDto"];
                };
            };
        };
    };
    ServerClaimsController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimResponseDto"];
                };
            };
        };
    };
    ServerSelfController_deregister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerReleasedDto"];
                };
            };
        };
    };
    ServerSelfController_heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeartbeatAckDto"];
                };
            };
        };
    };
    ServerSelfController_info: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerSelfInfoDto"];
                };
            };
        };
    };
    ServerSelfController_renew: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrollmentDto"];
                };
            };
        };
    };
    ServerSharesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerGrantsDto"];
                };
            };
        };
    };
    HealthController_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthLiveDto"];
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReadyDto"];
                };
            };
        };
    };
}

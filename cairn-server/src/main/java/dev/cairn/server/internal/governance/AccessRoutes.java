package dev.cairn.server.internal.governance;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.Page;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * Who may do what: the caller, users and their registry-wide roles, API tokens, and per-model grants. The governance
 * service checks each caller's role; the users routes are for admins, checked at the gate too since the service does
 * not check who lists users.
 */
public final class AccessRoutes {
    private final GovernanceService governance;
    private final Clock clock;

    public AccessRoutes(GovernanceService governance, Clock clock) {
        this.governance = governance;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/whoami", Access.AUTHENTICATED,
                        ctx -> JsonReply.ok(ctx, GovernanceWire.whoAmI(ApiRequest.of(ctx).actor()))),
                Route.get("/api/v1/users", Access.ADMIN, this::listUsers),
                Route.post("/api/v1/users", Access.ADMIN, this::createUser),
                Route.patch("/api/v1/users/{user}", Access.ADMIN, this::updateUser),
                Route.get("/api/v1/tokens", Access.AUTHENTICATED, this::listTokens),
                Route.post("/api/v1/tokens", Access.AUTHENTICATED, this::createToken),
                Route.delete("/api/v1/tokens/{id}", Access.AUTHENTICATED, this::revokeToken),
                Route.get("/api/v1/models/{name}/grants", Access.AUTHENTICATED, this::listGrants),
                Route.put("/api/v1/models/{name}/grants/{user}", Access.AUTHENTICATED, this::setGrant),
                Route.delete("/api/v1/models/{name}/grants/{user}", Access.AUTHENTICATED, this::deleteGrant));
    }

    private void listUsers(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        Page<User> page = governance.listUsers(request.limit(), request.pageToken());
        JsonReply.ok(ctx, new ApiModels.UserList(page.items().stream().map(GovernanceWire::user).toList(),
                page.nextPageToken()));
    }

    private void createUser(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateUser body = request.body(ApiModels.CreateUser.class);
        GovernanceService.NewUser created = governance.createUser(request.actor(), body.name(), role(body.role()),
                body.expires());
        JsonReply.created(ctx, GovernanceWire.newUser(created, clock.instant()));
    }

    private void updateUser(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.UpdateUser body = request.body(ApiModels.UpdateUser.class);
        JsonReply.ok(ctx, GovernanceWire.user(governance.setUserRole(request.actor(), request.path("user"),
                role(body.role()))));
    }

    private void listTokens(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        Page<ApiToken> page = governance.listTokens(request.actor(), request.query("user"), request.limit(),
                request.pageToken());
        JsonReply.ok(ctx, new ApiModels.TokenList(page.items().stream()
                .map(t -> GovernanceWire.token(t, null, clock.instant())).toList(), page.nextPageToken()));
    }

    private void createToken(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateToken body = request.optionalBody(ApiModels.CreateToken.class);
        GovernanceService.IssuedToken issued = governance.createToken(request.actor(),
                body == null ? null : body.user(), body == null ? null : body.expires());
        JsonReply.created(ctx, GovernanceWire.token(issued.token(), issued.secret(), clock.instant()));
    }

    private void revokeToken(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.token(governance.revokeToken(request.actor(), request.path("id")), null,
                clock.instant()));
    }

    private void listGrants(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, new ApiModels.GrantList(governance.grants(request.model()).stream()
                .map(GovernanceWire::grant).toList()));
    }

    private void setGrant(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.SetGrant body = request.body(ApiModels.SetGrant.class);
        JsonReply.ok(ctx, GovernanceWire.grant(governance.setGrant(request.actor(), request.model(),
                request.path("user"), role(body.role()))));
    }

    private void deleteGrant(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        governance.deleteGrant(request.actor(), request.model(), request.path("user"));
        JsonReply.noContent(ctx);
    }

    private static Role role(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalid("role is required: viewer, editor, approver or admin");
        }
        return Role.parse(text);
    }
}

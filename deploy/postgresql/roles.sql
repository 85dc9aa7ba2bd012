-- Two roles for the registry's database (PostgreSQL), run once by a superuser
-- or a role with CREATEROLE, in the registry's database:
--
--   psql "$ADMIN_URL/registry" -v owner=registry_owner -v app=registry_app \
--        -v owner_password="'…'" -v app_password="'…'" -f deploy/postgresql/roles.sql
--
-- The owner owns the tables and runs the migrations (the Kubernetes migration
-- Job; Secret registry-database-owner). The app role is what the web and
-- worker pods use (Secret registry-database): it reads and writes every table,
-- but on the audit log it may only read and add. UPDATE, DELETE and TRUNCATE
-- on audit_auditentry are never granted to it, now or for tables made later.
-- (The table also refuses UPDATE and DELETE by trigger, from migration
-- audit.0001; the owner could drop that trigger, the app role cannot.)
--
-- The migration that creates the audit table also revokes UPDATE and DELETE
-- from the role named in DATABASE_APP_ROLE (the ConfigMap sets registry_app),
-- so a new installation is right from the first migration; the block below
-- says the same for an existing one. tests/test_audit.py runs it against the
-- test database.

CREATE ROLE :"owner" LOGIN PASSWORD :owner_password;
CREATE ROLE :"app" LOGIN PASSWORD :app_password;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";

-- grants:begin (after the first migration; idempotent, safe to run again)
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM :"app";
-- grants:end

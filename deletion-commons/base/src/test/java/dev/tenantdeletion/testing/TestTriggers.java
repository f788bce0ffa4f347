package dev.tenantdeletion.testing;

/** Test-only triggers that make a DELETE on a table fail, to prove rollback and batch behaviour. */
public final class TestTriggers {

    private TestTriggers() {
    }

    /** Every DELETE statement on the table raises. */
    public static String failAlways(String table) {
        return failAfter(table, 0);
    }

    /** The first {@code statements} DELETE statements on the table pass, the following ones raise. */
    public static String failAfter(String table, int statements) {
        return """
                drop sequence if exists deletion_test_statements;
                create sequence deletion_test_statements;
                create or replace function deletion_test_fail() returns trigger language plpgsql as $$
                begin
                  if nextval('deletion_test_statements') > %d then
                    raise exception 'forced test failure on %s';
                  end if;
                  return null;
                end $$;
                create trigger deletion_test_fail before delete on %s for each statement execute function deletion_test_fail();
                """.formatted(statements, table, table);
    }

    public static String drop(String table) {
        return "drop trigger if exists deletion_test_fail on " + table + "; drop function if exists deletion_test_fail();"
                + " drop sequence if exists deletion_test_statements;";
    }

    /** Every DELETE statement on the table first waits for the advisory lock {@code key} (held by the test). */
    public static String waitForLock(String table, long key) {
        return """
                create or replace function deletion_test_wait() returns trigger language plpgsql as $$
                begin
                  perform pg_advisory_xact_lock_shared(%d);
                  return null;
                end $$;
                create trigger deletion_test_wait before delete on %s for each statement execute function deletion_test_wait();
                """.formatted(key, table);
    }

    /** Each DELETE statement on the table (up to {@code times}) first runs {@code insertSql} in the deleting transaction. */
    public static String insertBeforeDelete(String table, String insertSql, int times) {
        return """
                drop sequence if exists deletion_test_inserts;
                create sequence deletion_test_inserts;
                create or replace function deletion_test_insert() returns trigger language plpgsql as $$
                begin
                  if nextval('deletion_test_inserts') <= %d then
                    %s;
                  end if;
                  return null;
                end $$;
                create trigger deletion_test_insert before delete on %s for each statement execute function deletion_test_insert();
                """.formatted(times, insertSql, table);
    }

    /** Every DELETE statement on the table first sleeps (a slow database, a long batch). */
    public static String sleepBeforeDelete(String table, double seconds) {
        return """
                create or replace function deletion_test_sleep() returns trigger language plpgsql as $$
                begin
                  perform pg_sleep(%s);
                  return null;
                end $$;
                create trigger deletion_test_sleep before delete on %s for each statement execute function deletion_test_sleep();
                """.formatted(seconds, table);
    }

    /** Removes every trigger of this class from the table. */
    public static String dropAll(String table) {
        return drop(table) + " drop trigger if exists deletion_test_wait on " + table + ";"
                + " drop trigger if exists deletion_test_insert on " + table + ";"
                + " drop trigger if exists deletion_test_sleep on " + table + ";";
    }
}

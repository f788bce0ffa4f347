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
}

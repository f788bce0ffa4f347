package dev.tenantdeletion.testing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the benchmarks measure the engine against: a tenant's children-first DELETEs written by hand over JDBC, in
 * the connection's open transaction (the caller commits). {@code (b)}: PostgreSQL's RI triggers check every deleted
 * parent row. {@code (b')}: the engine's fast path written out: {@code session_replication_role = replica} for the
 * transaction, the DELETEs of referenced tables {@code returning id}, then, with the parameter back to
 * {@code origin}, one {@code = any(ids)} probe per foreign key into them (needs a superuser or PostgreSQL 15+'s
 * {@code GRANT SET ON PARAMETER session_replication_role}).
 */
public final class RawDeletes {

    private RawDeletes() {
    }

    /** Deletes the tenant's rows of {@code tables} (children first), (b') when {@code checks}; returns the rows deleted. */
    public static long delete(Connection db, List<String> tables, UUID tenant, boolean checks) throws SQLException {
        Map<String, List<String[]>> referencing = checks ? foreignKeys(db) : Map.of();
        Map<String, List<Object>> deleted = new LinkedHashMap<>();
        long rows = 0;
        try (Statement statement = db.createStatement()) {
            if (checks) {
                statement.execute("set local session_replication_role = replica");
            }
            for (String table : tables) {
                boolean returning = referencing.containsKey(table);
                try (PreparedStatement delete = db.prepareStatement("delete from " + table + " where tenant_id = ?"
                        + (returning ? " returning id" : ""))) {
                    delete.setObject(1, tenant);
                    if (returning) {
                        List<Object> ids = new ArrayList<>();
                        try (ResultSet rs = delete.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getObject(1));
                            }
                        }
                        deleted.put(table, ids);
                        rows += ids.size();
                    } else {
                        rows += delete.executeUpdate();
                    }
                }
            }
            if (checks) {
                statement.execute("set local session_replication_role = origin");
                for (Map.Entry<String, List<Object>> parent : deleted.entrySet()) {
                    Array ids = db.createArrayOf("uuid", parent.getValue().toArray());
                    for (String[] fk : referencing.get(parent.getKey())) {
                        try (PreparedStatement check = db.prepareStatement("select 1 from " + fk[0] + " c where c." + fk[1]
                                + " = any(?) limit 1")) {
                            check.setArray(1, ids);
                            try (ResultSet rs = check.executeQuery()) {
                                if (rs.next()) {
                                    throw new IllegalStateException("dangling reference through " + fk[0] + "." + fk[1]);
                                }
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Parent table → (child table, column) of every foreign key into it. */
    private static Map<String, List<String[]>> foreignKeys(Connection db) throws SQLException {
        Map<String, List<String[]>> keys = new LinkedHashMap<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery("""
                select parent.relname, child.relname, a.attname from pg_constraint con
                  join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
                 where con.contype = 'f' and parent.relnamespace = current_schema()::regnamespace""")) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return keys;
    }
}

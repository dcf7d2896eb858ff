/* SQLite (the amalgamation bundled by the libsqlite3-sys crate) on an
   in-memory database: tables, indexes, joins, aggregates, window functions,
   recursive CTEs, string and floating-point functions. Deterministic. */
#include <stdio.h>
#include "sqlite3.h"

static int print_row(void *unused, int n, char **values, char **names) {
    (void)unused; (void)names;
    for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
    putchar('\n');
    return 0;
}

static void run(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
        printf("error: %s\n", err);
        sqlite3_free(err);
    }
}

int main(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) { puts("open failed"); return 1; }
    printf("sqlite %s\n", sqlite3_libversion());
    run(db, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, cat INTEGER);"
            "CREATE TABLE cat(id INTEGER PRIMARY KEY, label TEXT);"
            "INSERT INTO cat VALUES (0,'tools'),(1,'food'),(2,'books'),(3,'toys');"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000)"
            " INSERT INTO item SELECT i, printf('item-%05d', (i*7919) % 20000), ((i*31337) % 10007) / 100.0, i % 4 FROM n;"
            "CREATE INDEX item_price ON item(price);");
    run(db, "SELECT count(*), sum(price), round(avg(price), 4), min(name), max(name) FROM item;");
    run(db, "SELECT c.label, count(*), round(sum(i.price), 2) FROM item i JOIN cat c ON c.id = i.cat"
            " GROUP BY c.label ORDER BY c.label;");
    run(db, "SELECT id, name, price FROM item WHERE price BETWEEN 50 AND 50.05 ORDER BY price, id LIMIT 8;");
    run(db, "SELECT cat, id, price, rank() OVER (PARTITION BY cat ORDER BY price DESC, id) AS r FROM item"
            " WHERE id % 997 = 0 ORDER BY cat, r;");
    run(db, "SELECT upper(substr(name, 1, 4)) || '/' || length(name), hex(id), typeof(price)"
            " FROM item WHERE id IN (1, 2, 3, 19999);");
    run(db, "SELECT printf('%.6f %e %g', 1.0/3, 6.02214076e23, sqrt(2.0)), 7 / 2, 7 % 3, -7 / 2.0;");
    run(db, "UPDATE item SET price = price * 1.1 WHERE cat = 2; DELETE FROM item WHERE id % 3 = 0;"
            "SELECT count(*), round(sum(price), 3) FROM item;");
    run(db, "SELECT group_concat(label, ',') FROM (SELECT label FROM cat ORDER BY label DESC);");
    run(db, "SELECT no_such_column FROM item;");
    sqlite3_close(db);
    return 0;
}

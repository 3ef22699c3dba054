package store

/*
// sqlite3_db_config is SQLite's, compiled into github.com/mattn/go-sqlite3
// and linked into the same program; declared here rather than included,
// since that package's header is not on our include path.
extern int sqlite3_db_config(void *db, int op, ...);

// 1007 is SQLITE_DBCONFIG_ENABLE_QPSG.
static int textbank_qpsg(void *db, int on) {
	int now = -1;
	int rc = sqlite3_db_config(db, 1007, on, &now);
	return rc != 0 ? -1 : now;
}
*/
import "C"

import (
	"errors"
	"reflect"
	"unsafe"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// enableQPSG turns on SQLite's query planner stability guarantee on a
// connection. Without it, planning a statement whose WHERE holds a
// "column = ?" the chosen plan does not use as an index key (or a
// "LIMIT ?") marks the statement to be planned again whenever that
// parameter is rebound; go-sqlite3 clears every statement's bindings
// before each run, so such statements were parsed and planned anew on
// every run, prepared or not: 20-80 us each, more than running them
// (the route of every inbound text, the dispatcher's queue, the
// checks of a first text, a feed's latest version). The guarantee makes
// SQLite plan without looking at bound values, which our statements
// never relied on (TestHotStatementsUseIndexes checks their plans).
//
// go-sqlite3 has no way to reach sqlite3_db_config, so its connection
// handle is read from the driver's connection by reflection; if a
// go-sqlite3 release renames it, this reports an error instead of
// guessing (TestQPSGOnEveryConnection fails).
func enableQPSG(c *sqlite3.SQLiteConn) error {
	db, err := connHandle(c)
	if err != nil {
		return err
	}
	if C.textbank_qpsg(db, 1) != 1 {
		return errors.New("sqlite: the query planner stability guarantee could not be enabled")
	}
	return nil
}

// qpsgEnabled reports whether the guarantee is on for c.
func qpsgEnabled(c *sqlite3.SQLiteConn) (bool, error) {
	db, err := connHandle(c)
	if err != nil {
		return false, err
	}
	return C.textbank_qpsg(db, -1) == 1, nil
}

func connHandle(c *sqlite3.SQLiteConn) (unsafe.Pointer, error) {
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil, errors.New("sqlite: go-sqlite3's connection has no database handle where expected")
	}
	return f.UnsafePointer(), nil
}

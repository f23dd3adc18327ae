//! The two stores behave alike: both are run through the same checks.

use super::*;

fn account(name: &str, hash: &str) -> Account {
    Account {
        name: name.to_owned(),
        hash: hash.to_owned(),
        created_ms: 1_795_500_000_000,
    }
}

fn behaves_as_a_store(accounts: &dyn Accounts) {
    assert_eq!(accounts.lookup("alice").unwrap(), Lookup::Free);
    accounts.create(&account("alice", "h1")).unwrap();
    assert_eq!(
        accounts.lookup("ALICE").unwrap(),
        Lookup::Registered(account("alice", "h1")),
        "any case"
    );
    assert_eq!(
        accounts.lookup("aIice").unwrap(),
        Lookup::LooksLike("alice".to_owned()),
        "a capital I looks like an l"
    );
    assert!(matches!(
        accounts.create(&account("Alice", "h2")),
        Err(AccountError::Taken(name)) if name == "alice"
    ));
    assert!(matches!(
        accounts.create(&account("aIice", "h2")),
        Err(AccountError::Taken(name)) if name == "alice"
    ));
    accounts.create(&account("bob", "h3")).unwrap();
    assert!(accounts.set_hash("Alice", "h4").unwrap());
    assert!(!accounts.set_hash("carol", "h4").unwrap());
    assert_eq!(
        accounts.lookup("alice").unwrap(),
        Lookup::Registered(account("alice", "h4"))
    );
    let names: Vec<String> = accounts
        .list()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    assert!(accounts.delete("ALICE").unwrap());
    assert!(!accounts.delete("alice").unwrap());
    assert_eq!(accounts.lookup("aIice").unwrap(), Lookup::Free);
}

#[test]
fn memory_accounts_behave_as_a_store() {
    behaves_as_a_store(&MemoryAccounts::new());
}

#[test]
fn sqlite_accounts_behave_as_a_store_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accounts.sqlite3");
    behaves_as_a_store(&SqliteAccounts::open(&file).unwrap());
    let reopened = SqliteAccounts::open_read_only(&file).unwrap();
    assert_eq!(
        reopened.lookup("bob").unwrap(),
        Lookup::Registered(account("bob", "h3"))
    );
}

#[test]
fn an_account_never_shows_its_hash_in_debug() {
    let shown = format!("{:?}", account("alice", "$argon2id$secret"));
    assert!(!shown.contains("argon2id"), "{shown}");
}

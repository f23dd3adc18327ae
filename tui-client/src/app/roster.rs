//! Who is in a room, as its buffer and the sidebar show it.

use chat_shared::name::name_key;

/// A room's members, sorted case-insensitively, each once (compared by [`name_key`]).
///
/// Built from the roster of `welcome` (the default room) or `entered` (any other), then
/// kept current from the room's `joined`, `left` and `renamed` events, and replaced whole
/// by a `roster` reply to `/who`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Roster {
    /// Sorted by `name_key`, no two with the same key.
    names: Vec<String>,
}

impl Roster {
    /// Replaces everyone (from `welcome`, `entered` or `roster`).
    pub fn set(&mut self, names: impl IntoIterator<Item = String>) {
        self.names.clear();
        for name in names {
            self.add(name);
        }
    }

    /// Adds someone who joined; a name already present is not added twice.
    pub fn add(&mut self, name: String) {
        let key = name_key(&name);
        if let Err(index) = self
            .names
            .binary_search_by(|probe| name_key(probe).cmp(&key))
        {
            self.names.insert(index, name);
        }
    }

    /// Removes someone who left.
    pub fn remove(&mut self, name: &str) {
        let key = name_key(name);
        self.names.retain(|probe| name_key(probe) != key);
    }

    /// Renames someone, keeping the order.
    pub fn rename(&mut self, old: &str, new: String) {
        self.remove(old);
        self.add(new);
    }

    /// Everyone, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many are in the room.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the roster is empty (before joining).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(names: &[&str]) -> Roster {
        let mut roster = Roster::default();
        roster.set(names.iter().map(|name| name.to_string()));
        roster
    }

    #[test]
    fn sorts_case_insensitively_without_duplicates() {
        let roster = roster(&["carol", "Bob", "alice", "bob"]);
        assert_eq!(roster.names(), ["alice", "Bob", "carol"]);
    }

    #[test]
    fn follows_joins_leaves_and_renames() {
        let mut roster = roster(&["alice", "bob"]);
        roster.add("Aaron".into());
        roster.remove("BOB");
        roster.rename("alice", "zoe".into());
        assert_eq!(roster.names(), ["Aaron", "zoe"]);
        assert_eq!(roster.len(), 2);
    }
}

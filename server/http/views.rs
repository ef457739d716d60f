//! The JSON shapes shared by several resources (docs/api.md).

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::policy::{Principal, Role};
use crate::error::Result;
use crate::store::Store;
use crate::store::people::CommitteeRow;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CommitteeRef {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    /// "main" (HMU) or "local" (LMU).
    pub kind: String,
}

impl From<&CommitteeRow> for CommitteeRef {
    fn from(c: &CommitteeRow) -> Self {
        Self {
            id: c.id,
            name: c.name.clone(),
            short_name: c.short_name.clone(),
            kind: c.kind.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Membership {
    pub committee: CommitteeRef,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub secretariat: bool,
    pub memberships: Vec<Membership>,
}

impl User {
    pub async fn load(store: &Store, p: &Principal) -> Result<Self> {
        let committees = store.committees().await?;
        let email = store
            .user(p.user)
            .await?
            .map(|u| u.email)
            .unwrap_or_default();
        let memberships = p
            .memberships
            .iter()
            .filter_map(|(c, role)| {
                committees.iter().find(|x| x.id == *c).map(|x| Membership {
                    committee: x.into(),
                    role: *role,
                })
            })
            .collect();
        Ok(Self {
            id: p.user,
            name: p.name.clone(),
            email,
            secretariat: p.secretariat,
            memberships,
        })
    }
}

/// Names of users, looked up once per request.
pub struct Names(Vec<(i64, String)>);

impl Names {
    pub async fn load(store: &Store, ids: impl IntoIterator<Item = i64>) -> Result<Self> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(Self(store.user_names(&ids).await?))
    }

    pub fn get(&self, id: Option<i64>) -> Option<UserRef> {
        let id = id?;
        self.0
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(id, name)| UserRef {
                id: *id,
                name: name.clone(),
            })
    }
}

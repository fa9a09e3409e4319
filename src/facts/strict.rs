//! The strict layer every facts reader deserialises through, whatever the
//! format: a serde `Deserializer` wrapped so that
//! - a float is refused (`float-money`): facts never pass through `f64`;
//! - a key that the struct being read does not have is refused, with the
//!   closest known key as a "did you mean" (also for types that do not
//!   say `deny_unknown_fields`);
//! - a variant that the enum does not have is refused the same way;
//! - the field path of the first problem (`punches[3].in`) is recorded.
//!
//! The path is kept as a chain of stack frames, one per value being read,
//! and written out only when a problem is found: reading allocates nothing
//! for it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use crate::policy::ProblemCode;
use crate::policy::read::closest;

/// Where a value is: the frames from the root down to it.
#[derive(Clone, Copy)]
pub(crate) enum Chain<'a> {
    /// The value read, named by the prefix its problems carry (`""`, or
    /// `agents[3]` when one element of a list is read by itself).
    Root(&'a str),
    /// The value of `key` in a table.
    Key(&'a Chain<'a>, &'a str),
    /// An element of a list.
    Index(&'a Chain<'a>, usize),
}

impl Chain<'_> {
    /// The field path, as problems name fields (`agents[2].card.items[0]`).
    pub(crate) fn path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match *self {
            Chain::Root(prefix) => out.push_str(prefix),
            Chain::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Chain::Index(parent, index) => {
                parent.write(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// The first problem met while reading, with its field path. Problems the
/// strict layer finds itself carry their code, message and help; problems
/// the format or the type found only their path (the message is the
/// format's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// The field path.
    pub(crate) path: String,
    /// The code, message and help, when the strict layer found it.
    pub(crate) own: Option<(ProblemCode, String, Option<String>)>,
}

/// Records the first problem of one read.
#[derive(Default)]
pub(crate) struct Track {
    found: RefCell<Option<Found>>,
}

impl Track {
    /// Notes that an error passed through `chain`; only the innermost (the
    /// first) is kept.
    fn fail<E>(&self, chain: &Chain<'_>, error: E) -> E {
        let mut found = self.found.borrow_mut();
        if found.is_none() {
            *found = Some(Found {
                path: chain.path(),
                own: None,
            });
        }
        error
    }

    /// Records a problem of the strict layer's own and gives the error that
    /// carries its message through the format.
    fn refuse<E: de::Error>(
        &self,
        path: String,
        code: ProblemCode,
        message: String,
        help: Option<String>,
    ) -> E {
        let error = E::custom(&message);
        let mut found = self.found.borrow_mut();
        if found.is_none() {
            *found = Some(Found {
                path,
                own: Some((code, message, help)),
            });
        }
        error
    }

    /// The problem recorded, if any.
    pub(crate) fn take(&self) -> Option<Found> {
        self.found.borrow_mut().take()
    }
}

/// Reads a `T` from `de` strictly; on failure, the format's error and what
/// the strict layer knows of it.
pub(crate) fn read<'de, T, D>(de: D, prefix: &str) -> Result<T, (D::Error, Found)>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let track = Track::default();
    let root = Chain::Root(prefix);
    T::deserialize(strict(de, &root, &track)).map_err(|error| {
        let found = track.take().unwrap_or_else(|| Found {
            path: prefix.to_owned(),
            own: None,
        });
        (error, found)
    })
}

/// The message for a float where facts take decimals: the one a policy gets
/// for float money.
pub(crate) fn float_message(path: &str) -> String {
    format!("money in `{path}` is written as a float, which cannot hold every amount exactly")
}

/// The help for a float, given its text as written.
pub(crate) fn float_help(written: &str) -> String {
    format!("write the amount as a string: `\"{written}\"`")
}

/// A deserializer whose visitors are passed on wrapped: by the strict
/// layer (noting the value's place) or to note a name as it is read.
struct Wrapped<D, W> {
    de: D,
    wrap: W,
}

/// How a [`Wrapped`] deserializer passes its visitor on.
trait Wrap<'de>: Sized {
    /// The visitor passed on.
    type Visit<V: Visitor<'de>>: Visitor<'de, Value = V::Value>;
    /// Where an error passing through is noted, kept before the visitor
    /// is handed over.
    type Place: Copy;
    fn place(&self) -> Self::Place;
    fn wrap<V: Visitor<'de>>(self, visitor: V, names: Names) -> Self::Visit<V>;
    fn fail<E>(place: Self::Place, error: E) -> E;
}

/// The strict layer's place: the value's chain and the read's track.
#[derive(Clone, Copy)]
struct Here<'a> {
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, 'a> Wrap<'de> for Here<'a> {
    type Visit<V: Visitor<'de>> = Visit<'a, V>;
    type Place = Self;

    fn place(&self) -> Self {
        *self
    }

    fn wrap<V: Visitor<'de>>(self, visitor: V, names: Names) -> Visit<'a, V> {
        Visit {
            visitor,
            chain: self.chain,
            track: self.track,
            names,
        }
    }

    fn fail<E>(place: Self, error: E) -> E {
        place.track.fail(place.chain, error)
    }
}

/// `de` read strictly at `chain`.
fn strict<'a, D>(de: D, chain: &'a Chain<'a>, track: &'a Track) -> Wrapped<D, Here<'a>> {
    Wrapped {
        de,
        wrap: Here { chain, track },
    }
}

/// The names the value being read may use: a struct's fields or an enum's
/// variants.
#[derive(Clone, Copy)]
enum Names {
    Any,
    /// Text is read: a date, a time, an id.
    Text,
    Fields(&'static [&'static str]),
    Variants(&'static [&'static str]),
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            let place = self.wrap.place();
            let visit = self.wrap.wrap(visitor, Names::Any);
            self.de.$method(visit).map_err(|e| W::fail(place, e))
        }
    )*};
}

/// A method that takes arguments besides the visitor, the visitor told
/// the names the value may use.
macro_rules! forward_with {
    ($method:ident($($arg:ident: $ty:ty),*) => $names:expr) => {
        fn $method<V: Visitor<'de>>(
            self,
            $($arg: $ty,)*
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            let place = self.wrap.place();
            let visit = self.wrap.wrap(visitor, $names);
            self.de.$method($($arg,)* visit).map_err(|e| W::fail(place, e))
        }
    };
}

impl<'de, D: Deserializer<'de>, W: Wrap<'de>> Deserializer<'de> for Wrapped<D, W> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    forward_with!(deserialize_str() => Names::Text);
    forward_with!(deserialize_string() => Names::Text);
    forward_with!(deserialize_unit_struct(name: &'static str) => Names::Any);
    forward_with!(deserialize_newtype_struct(name: &'static str) => Names::Any);
    forward_with!(deserialize_tuple(len: usize) => Names::Any);
    forward_with!(deserialize_tuple_struct(name: &'static str, len: usize) => Names::Any);
    forward_with!(
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
            => Names::Fields(fields)
    );
    forward_with!(
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
            => Names::Variants(variants)
    );

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A visitor passed on with the value's place.
struct Visit<'a, V> {
    visitor: V,
    chain: &'a Chain<'a>,
    track: &'a Track,
    names: Names,
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.visitor.$method(v)
        }
    )*};
    // The scalars both visitors pass through unchanged.
    (plain) => {
        forward_visit!(
            visit_bool(bool),
            visit_i8(i8),
            visit_i16(i16),
            visit_i32(i32),
            visit_i64(i64),
            visit_u8(u8),
            visit_u16(u16),
            visit_u32(u32),
            visit_u64(u64),
            visit_char(char),
            visit_bytes(&[u8]),
            visit_borrowed_bytes(&'de [u8]),
            visit_byte_buf(Vec<u8>),
        );
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit!(plain);
    forward_visit!(
        visit_i128(i128),
        visit_u128(u128),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
    );

    fn visit_f32<E: de::Error>(self, _: f32) -> Result<V::Value, E> {
        Err(self.float())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<V::Value, E> {
        Err(self.float())
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(strict(de, self.chain, self.track))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(strict(de, self.chain, self.track))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Seq {
            seq,
            chain: self.chain,
            track: self.track,
            index: 0,
        })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let fields = match self.names {
            Names::Fields(fields) => Some(fields),
            Names::Text => return self.datetime_text(map),
            Names::Any | Names::Variants(_) => None,
        };
        self.visitor.visit_map(Map {
            map,
            chain: self.chain,
            track: self.track,
            key: None,
            fields,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let variants = match self.names {
            Names::Variants(variants) => Some(variants),
            Names::Any | Names::Text | Names::Fields(_) => None,
        };
        self.visitor.visit_enum(Enum {
            data,
            chain: self.chain,
            track: self.track,
            variants,
        })
    }
}

/// The key under which the `toml` crate hands over a date or a time: as a
/// one-entry map.
const TOML_DATETIME: &str = "$__toml_private_datetime";

impl<'de, V: Visitor<'de>> Visit<'_, V> {
    /// A TOML date or time where text is read (`date = 2026-03-03`): its
    /// text, as the quoted `"2026-03-03"` gives it, so that facts files
    /// take dates and times as policy files do.
    fn datetime_text<A: de::MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == TOML_DATETIME => {
                let text: String = map.next_value()?;
                self.visitor.visit_string(text)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self.visitor)),
        }
    }
}

impl<V> Visit<'_, V> {
    fn float<E: de::Error>(&self) -> E {
        let path = self.chain.path();
        let message = float_message(&path);
        self.track
            .refuse(path, ProblemCode::FloatMoney, message, None)
    }
}

struct Seq<'a, A> {
    seq: A,
    chain: &'a Chain<'a>,
    track: &'a Track,
    index: usize,
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let chain = Chain::Index(self.chain, self.index);
        self.index += 1;
        let track = self.track;
        self.seq
            .next_element_seed(Seed {
                seed,
                chain: &chain,
                track,
            })
            .map_err(|e| track.fail(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// A seed that reads its value strictly.
struct Seed<'a, T> {
    seed: T,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<T::Value, D::Error> {
        self.seed.deserialize(strict(de, self.chain, self.track))
    }
}

struct Map<'a, 'de, A> {
    map: A,
    chain: &'a Chain<'a>,
    track: &'a Track,
    /// The key just read, for the path of its value.
    key: Option<Cow<'de, str>>,
    /// The struct's fields, when a struct is read.
    fields: Option<&'static [&'static str]>,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Map<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.key = None;
        let (chain, track) = (self.chain, self.track);
        let known = self.fields.map(|names| Known {
            names,
            variant: false,
            chain,
            track,
        });
        self.map
            .next_key_seed(Name {
                seed,
                name: &mut self.key,
                known,
            })
            .map_err(|e| track.fail(chain, e))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let key = self.key.as_deref().unwrap_or("");
        let chain = Chain::Key(self.chain, key);
        let track = self.track;
        self.map
            .next_value_seed(Seed {
                seed,
                chain: &chain,
                track,
            })
            .map_err(|e| track.fail(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// The names a key or variant may take, and where it is read, to refuse
/// any other from inside its own read (so that the format locates the
/// problem at the name itself).
#[derive(Clone, Copy)]
struct Known<'a> {
    names: &'static [&'static str],
    variant: bool,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl Known<'_> {
    fn check<E: de::Error>(&self, written: &str) -> Result<(), E> {
        if self.names.contains(&written) {
            return Ok(());
        }
        Err(if self.variant {
            self.unknown_variant(written)
        } else {
            self.unknown_key(written)
        })
    }

    fn unknown_key<E: de::Error>(&self, key: &str) -> E {
        let path = Chain::Key(self.chain, key).path();
        let where_ = match self.chain.path() {
            p if p.is_empty() => "at the top level".to_owned(),
            p => format!("in `{p}`"),
        };
        let help = match closest(key, self.names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => {
                let mut known: Vec<&str> = self.names.to_vec();
                known.sort_unstable();
                format!("known keys here: `{}`", known.join("`, `"))
            }
        };
        self.track.refuse(
            path,
            ProblemCode::UnknownKey,
            format!("unknown key `{key}` {where_}"),
            Some(help),
        )
    }

    fn unknown_variant<E: de::Error>(&self, written: &str) -> E {
        let path = self.chain.path();
        let help = match closest(written, self.names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("write one of `{}`", self.names.join("`, `")),
        };
        let message = format!("`{written}` is not a choice `{path}` takes");
        self.track
            .refuse(path, ProblemCode::InvalidValue, message, Some(help))
    }
}

/// A key or variant name, noted as it is read.
struct Name<'n, 'de, K> {
    seed: K,
    name: &'n mut Option<Cow<'de, str>>,
    known: Option<Known<'n>>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for Name<'_, 'de, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<K::Value, D::Error> {
        self.seed.deserialize(Wrapped {
            de,
            wrap: NameSlot {
                name: self.name,
                known: self.known,
            },
        })
    }
}

/// Where a name read is noted, and the names it may take.
struct NameSlot<'n, 'de> {
    name: &'n mut Option<Cow<'de, str>>,
    known: Option<Known<'n>>,
}

impl<'de, 'n> Wrap<'de> for NameSlot<'n, 'de> {
    type Visit<V: Visitor<'de>> = NameVisit<'n, 'de, V>;
    type Place = ();

    fn place(&self) {}

    fn wrap<V: Visitor<'de>>(self, visitor: V, _: Names) -> NameVisit<'n, 'de, V> {
        NameVisit {
            visitor,
            name: self.name,
            known: self.known,
        }
    }

    fn fail<E>((): (), error: E) -> E {
        error
    }
}

struct NameVisit<'n, 'de, V> {
    visitor: V,
    name: &'n mut Option<Cow<'de, str>>,
    known: Option<Known<'n>>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for NameVisit<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit!(plain);
    forward_visit!(visit_f32(f32), visit_f64(f64));

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if let Some(known) = &self.known {
            known.check(v)?;
        }
        *self.name = Some(Cow::Owned(v.to_owned()));
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if let Some(known) = &self.known {
            known.check(v)?;
        }
        *self.name = Some(Cow::Borrowed(v));
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if let Some(known) = &self.known {
            known.check(&v)?;
        }
        *self.name = Some(Cow::Owned(v.clone()));
        self.visitor.visit_string(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(de)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(de)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(map)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(data)
    }
}

struct Enum<'a, A> {
    data: A,
    chain: &'a Chain<'a>,
    track: &'a Track,
    variants: Option<&'static [&'static str]>,
}

impl<'de, 'a, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Enum<'a, A> {
    type Error = A::Error;
    type Variant = Variant<'a, 'de, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let mut name = None;
        let (chain, track) = (self.chain, self.track);
        let known = self.variants.map(|names| Known {
            names,
            variant: true,
            chain,
            track,
        });
        let (value, variant) = self
            .data
            .variant_seed(Name {
                seed,
                name: &mut name,
                known,
            })
            .map_err(|e| track.fail(chain, e))?;
        Ok((
            value,
            Variant {
                variant,
                chain,
                track,
                name,
            },
        ))
    }
}

/// An enum's variant, its name read: what it holds is read under that
/// name (`value.points`), as the variant's key is written.
struct Variant<'a, 'de, A> {
    variant: A,
    chain: &'a Chain<'a>,
    track: &'a Track,
    name: Option<Cow<'de, str>>,
}

impl<'a, A> Variant<'a, '_, A> {
    /// Reads what the variant holds, its path under the variant's name.
    fn within<R>(self, read: impl for<'c> FnOnce(A, &'c Chain<'c>, &'c Track) -> R) -> R {
        let under = self
            .name
            .as_deref()
            .map(|name| Chain::Key(self.chain, name));
        read(
            self.variant,
            under.as_ref().unwrap_or(self.chain),
            self.track,
        )
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Variant<'_, 'de, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        let (chain, track) = (self.chain, self.track);
        self.variant
            .unit_variant()
            .map_err(|e| track.fail(chain, e))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.within(|variant, chain, track| {
            variant
                .newtype_variant_seed(Seed { seed, chain, track })
                .map_err(|e| track.fail(chain, e))
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.within(|variant, chain, track| {
            let visit = Visit {
                visitor,
                chain,
                track,
                names: Names::Any,
            };
            variant
                .tuple_variant(len, visit)
                .map_err(|e| track.fail(chain, e))
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.within(|variant, chain, track| {
            let visit = Visit {
                visitor,
                chain,
                track,
                names: Names::Fields(fields),
            };
            variant
                .struct_variant(fields, visit)
                .map_err(|e| track.fail(chain, e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Punch {
        #[serde(rename = "in")]
        _clock_in: Option<String>,
        #[serde(default)]
        _amount: Option<Decimal>,
    }

    #[derive(Debug, Deserialize)]
    struct Month {
        #[serde(default, rename = "punches")]
        _punches: Vec<Punch>,
        #[serde(default)]
        amount: Option<Decimal>,
    }

    fn found(json: &str) -> Found {
        let mut de = serde_json::Deserializer::from_str(json);
        match read::<Month, _>(&mut de, "") {
            Ok(month) => panic!("read {month:?}"),
            Err((_, found)) => found,
        }
    }

    #[test]
    fn a_float_is_refused_at_its_path_and_an_integer_or_string_is_not() {
        // A float reaches the strict layer in any value read as a number;
        // a decimal refuses it itself (see `is_float`).
        let f = found(r#"{"punches": [{"in": "09:00", "_amount": 1.5}]}"#);
        assert_eq!(f.path, "punches[0]._amount");
        let f = found(r#"{"amount": 12345678901234.565}"#);
        assert_eq!(f.path, "amount");
        assert!(f.own.is_none());
        let mut de = serde_json::Deserializer::from_str(r#"{"amount": "12345678901234.565"}"#);
        let month: Month = read(&mut de, "").map_err(|(e, _)| e).unwrap();
        assert_eq!(month.amount.unwrap().to_string(), "12345678901234.565");
    }

    #[test]
    fn an_unknown_key_is_refused_with_the_closest_known_one() {
        let f = found(r#"{"punches": [{"in": "09:00"}, {"inn": "09:00"}]}"#);
        assert_eq!(f.path, "punches[1].inn");
        let (code, message, help) = f.own.unwrap();
        assert_eq!(code, ProblemCode::UnknownKey);
        assert_eq!(message, "unknown key `inn` in `punches[1]`");
        assert_eq!(help.as_deref(), Some("did you mean `in`?"));
    }

    #[test]
    fn a_wrong_type_is_located_by_path() {
        let f = found(r#"{"punches": [{"in": 9}]}"#);
        assert_eq!(f.path, "punches[0].in");
        assert!(f.own.is_none());
    }
}

"""DCQL for Paspoort credentials (passport.roles.dcql): the query built, read, matched, answered."""
from __future__ import annotations

import pytest

from passport.errors import RequestInvalid
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, CERTIFICAAT_TYPE, PROFILE_TYPE, paspoort_type
from passport.protocol_errors import CredentialNotRequested, ResponseInvalid
from passport.roles import dcql


def query():
    return dcql.parse_query(dcql.build_query(blocks=["skills", "talenten"], types=[AANTOONBAAR_BEKWAAM_TYPE]))


def of_type(world, kind):
    return next(c for c in world.endorsements if paspoort_type(c) == kind)


def vp(*credentials):
    return {"type": ["VerifiablePresentation"], "verifiableCredential": list(credentials)}


def test_the_built_query_reads_back():
    built = query()
    profile, ab = built.credentials
    assert profile.id == dcql.PROFILE_QUERY and profile.blocks == ["skills", "talenten"] and not profile.multiple
    assert ab.id == "aantoonbaar_bekwaam" and ab.multiple and ab.type_names == [AANTOONBAAR_BEKWAAM_TYPE]
    assert built.required == {dcql.PROFILE_QUERY}
    assert ab.type_values == ((dcql.VC_IRI, "https://w3id.org/paspoort/vocab#AantoonbaarBekwaamCredential"),)


def test_types_match_as_expanded_iris(world):
    _profile, ab = query().credentials
    assert ab.matches(of_type(world, AANTOONBAAR_BEKWAAM_TYPE))
    assert not ab.matches(of_type(world, CERTIFICAAT_TYPE))
    assert dcql.expanded_types(world.profile) >= {dcql.VC_IRI, dcql.type_iri(PROFILE_TYPE)}
    short = dcql.CredentialQuery("x", ((AANTOONBAAR_BEKWAAM_TYPE,),), (), False)  # not expanded: no match
    assert not short.matches(of_type(world, AANTOONBAAR_BEKWAAM_TYPE))


def test_claims_paths_must_exist(world):
    profile = query().credentials[0]
    assert profile.matches(world.profile)
    stripped = {**world.profile, "credentialSubject": {"id": world.holder.did}}
    assert not profile.matches(stripped)


def test_a_vp_token_that_answers_the_query(world):
    token = {"persoonlijk_profiel": [vp(world.profile)], "aantoonbaar_bekwaam": [vp(of_type(world, AANTOONBAAR_BEKWAAM_TYPE))]}
    assert [asked.id for asked, _ in dcql.answered(query(), token)] == ["persoonlijk_profiel", "aantoonbaar_bekwaam"]


@pytest.mark.parametrize("token, error", [
    ({}, ResponseInvalid),
    ({"aantoonbaar_bekwaam": [{"type": ["VerifiablePresentation"], "verifiableCredential": []}]}, ResponseInvalid),
    ({"certificaat": ["CERT"]}, CredentialNotRequested),
    ({"persoonlijk_profiel": ["CERT"]}, CredentialNotRequested),
    ({"persoonlijk_profiel": ["PROFILE", "PROFILE"]}, ResponseInvalid),
    ({"aantoonbaar_bekwaam": ["AB"]}, ResponseInvalid),  # the required profile is missing
    ({"persoonlijk_profiel": "PROFILE"}, ResponseInvalid),
])
def test_vp_tokens_that_do_not_answer_it(world, token, error):
    credentials = {"CERT": of_type(world, CERTIFICAAT_TYPE), "PROFILE": world.profile,
                   "AB": of_type(world, AANTOONBAAR_BEKWAAM_TYPE)}
    token = {key: [vp(credentials[v]) if isinstance(v, str) else v for v in value] if isinstance(value, list)
             else value for key, value in token.items()}
    with pytest.raises(error):
        dcql.answered(query(), token)


@pytest.mark.parametrize("document, message", [
    ({}, "credentials array"),
    ({"credentials": []}, "1 to"),
    ({"credentials": [{"id": "a b", "format": "ldp_vc", "meta": {"type_values": [["X"]]}}]}, "id"),
    ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}}]}, "only ldp_vc"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": []}}]}, "type_values"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]}, "claims": []}]}, "claims"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]},
                       "claims": [{"path": [True]}]}]}, "path"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]}}] * 2}, "same id"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]}}],
      "credential_sets": [{"options": [["b"]]}]}, "options"),
])
def test_bad_queries_are_refused(document, message):
    with pytest.raises(RequestInvalid, match=message):
        dcql.parse_query(document)


def test_a_query_for_nothing_or_unknown_blocks_is_not_built():
    with pytest.raises(RequestInvalid):
        dcql.build_query(blocks=[], types=[])
    with pytest.raises(RequestInvalid):
        dcql.build_query(blocks=["hobbies"], types=[])

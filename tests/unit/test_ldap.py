"""Directory (Active Directory / LDAP) sign-in, against ldap3's mock server: groups give the role,
and nothing unsafe gets through — no clear-text connection, no empty-password bind, no filter injection."""

from __future__ import annotations

import pytest
from ldap3 import MOCK_SYNC, OFFLINE_AD_2012_R2, Connection, Server
from sqlalchemy import select

from app.models import Role, User
from app.services import auth, ldap_auth
from app.services.errors import AccountDisabled, SignInFailed

BASE = "dc=prov,dc=be"
TECH_GROUP = "CN=Depot-Technici,OU=Groups,DC=prov,DC=be"
MGR_GROUP = "CN=Depot-Beheer,OU=Groups,DC=prov,DC=be"
SERVICE_DN = "cn=svc-depot,ou=service,dc=prov,dc=be"


class FakeDirectory:
    """ldap3's mock server with a few people; remembers every bind and search filter."""

    def __init__(self) -> None:
        self.server = Server("fake-dc", get_info=OFFLINE_AD_2012_R2)
        self.binds: list[tuple[str, str]] = []
        self.filters: list[str] = []
        seed = Connection(self.server, user=SERVICE_DN, password="svc-pass", client_strategy=MOCK_SYNC)
        add = seed.strategy.add_entry
        add(SERVICE_DN, {"userPassword": "svc-pass", "objectClass": ["person"], "sAMAccountName": "svc-depot"})
        self.person(add, "jan", "Jan Peeters", "jan-secret-1", [TECH_GROUP])
        self.person(add, "els", "Els Maes", "els-secret-1", [TECH_GROUP, MGR_GROUP])
        self.person(add, "piet", "Piet Nobody", "piet-secret-1", ["CN=Kantine,OU=Groups,DC=prov,DC=be"])
        add(f"uid=kim,ou=people,{BASE}", {"objectClass": ["person"], "uid": "kim", "cn": "Kim Claes",
                                         "userPassword": "kim-secret-1", "memberOf": [MGR_GROUP]})

    @staticmethod
    def person(add, name, full, password, groups):
        add(f"cn={full},ou=people,{BASE}", {
            "objectClass": ["person", "user"], "sAMAccountName": name, "cn": full,
            "displayName": full, "userPassword": password, "memberOf": groups,
            "userPrincipalName": f"{name}@prov.be"})

    def connect(self, config, user, password):
        self.binds.append((user, password))
        directory = self

        class Spy(Connection):
            def search(self, base, search_filter, *args, **kwargs):
                directory.filters.append(search_filter)
                return super().search(base, search_filter, *args, **kwargs)

        return Spy(self.server, user=user, password=password, client_strategy=MOCK_SYNC)


@pytest.fixture
def directory():
    fake = FakeDirectory()
    ldap_auth.use_connection_factory(fake.connect)
    yield fake
    ldap_auth.use_connection_factory(None)
    auth.use_directory(None)


def config(**changes) -> ldap_auth.DirectoryConfig:
    values = {"url": "ldaps://dc1.prov.be", "base_dn": BASE, "service_dn": SERVICE_DN,
              "service_password": "svc-pass",
              "group_roles": {TECH_GROUP: "technician", "Depot-Beheer": "manager"}}
    values.update(changes)
    return ldap_auth.DirectoryConfig(**values)


def sign_in(session, name, password, cfg=None):
    return ldap_auth.directory_sign_in(session, cfg or config(), name, password)


def test_directory_user_signs_in_with_the_role_of_their_group(session, directory):
    user = sign_in(session, "Jan", "jan-secret-1")
    assert (user.username, user.display_name, user.role) == ("jan", "Jan Peeters", Role.TECHNICIAN)
    row = session.scalar(select(User).where(User.username == "jan"))
    assert row.password_hash is None and row.directory_dn.startswith("cn=Jan Peeters")


def test_highest_mapped_group_wins_and_group_names_match_by_cn(session, directory):
    assert sign_in(session, "els", "els-secret-1").role == Role.MANAGER


def test_role_follows_the_directory_at_every_sign_in(session, directory):
    sign_in(session, "jan", "jan-secret-1")
    changed = config(group_roles={TECH_GROUP: "auditor"})
    assert sign_in(session, "jan", "jan-secret-1", changed).role == Role.AUDITOR


def test_user_in_no_mapped_group_is_refused_and_not_created(session, directory):
    with pytest.raises(ldap_auth.NoDirectoryRole):
        sign_in(session, "piet", "piet-secret-1")
    assert session.scalar(select(User).where(User.username == "piet")) is None


def test_wrong_password_is_refused_and_counted(session, directory):
    for _ in range(4):
        with pytest.raises(SignInFailed):
            sign_in(session, "jan", "wrong")
    with pytest.raises(auth.AccountLocked):
        sign_in(session, "jan", "wrong")


def test_empty_password_is_refused_before_any_bind(session, directory):
    with pytest.raises(SignInFailed):
        sign_in(session, "jan", "")
    assert directory.binds == []


@pytest.mark.parametrize("url,start_tls", [("ldap://dc1.prov.be", False), ("dc1.prov.be", False),
                                           ("http://dc1.prov.be", True)])
def test_unencrypted_directory_is_refused_before_connecting(session, directory, url, start_tls):
    with pytest.raises(ldap_auth.DirectoryInsecure):
        sign_in(session, "jan", "jan-secret-1", config(url=url, start_tls=start_tls))
    assert directory.binds == []


def test_ldap_with_starttls_is_accepted(session, directory):
    cfg = config(url="ldap://dc1.prov.be", start_tls=True)
    assert sign_in(session, "jan", "jan-secret-1", cfg).username == "jan"


def test_filter_characters_in_the_user_name_are_escaped(session, directory):
    # Unescaped, "*" would match the first person and bind with their DN.
    with pytest.raises(SignInFailed):
        sign_in(session, "*", "jan-secret-1")
    with pytest.raises(SignInFailed):
        sign_in(session, "j*)(cn=*", "jan-secret-1")
    assert any(r"\2a" in f for f in directory.filters)
    assert not any("(sAMAccountName=*)" in f for f in directory.filters)
    assert session.scalar(select(User).where(User.username.like("%*%"))) is None


def test_bind_pattern_without_service_account(session, directory):
    cfg = config(service_dn="", service_password="", bind_pattern="uid={username},ou=people," + BASE)
    user = sign_in(session, "kim", "kim-secret-1", cfg)
    assert (user.role, user.display_name) == (Role.MANAGER, "Kim Claes")
    assert directory.binds[-1] == ("uid=kim,ou=people," + BASE, "kim-secret-1")


def test_dn_characters_in_the_user_name_are_escaped_in_the_bind_pattern(session, directory):
    cfg = config(service_dn="", service_password="", bind_pattern="uid={username},ou=people," + BASE)
    with pytest.raises(SignInFailed):
        sign_in(session, "kim,ou=people", "kim-secret-1", cfg)
    assert directory.binds[-1][0] == r"uid=kim\,ou\=people,ou=people," + BASE


def test_disabled_in_the_depot_stays_refused(session, admin, directory):
    user = sign_in(session, "jan", "jan-secret-1")
    auth.set_active(session, admin, user.id, False)
    with pytest.raises(AccountDisabled):
        sign_in(session, "jan", "jan-secret-1")


def test_authenticate_uses_the_directory_when_configured(session, directory):
    auth.use_directory(config())
    assert auth.authenticate(session, "jan", "jan-secret-1").role == Role.TECHNICIAN


def test_local_admin_still_signs_in_when_the_directory_is_configured(session, admin, directory):
    auth.use_directory(config(url="ldaps://unreachable.invalid"))
    ldap_auth.use_connection_factory(None)  # a real connection attempt would fail: never made
    assert auth.authenticate(session, "admin", "admin-pass-1").id == admin.id


def test_local_technician_goes_through_the_directory_when_configured(session, technician, directory):
    auth.use_directory(config())
    with pytest.raises(SignInFailed):
        auth.authenticate(session, "tom", "tech-pass-1")  # tom is not in the directory


def test_incomplete_settings_are_refused_when_saved():
    with pytest.raises(ldap_auth.DirectoryMisconfigured):
        ldap_auth.check_settings(config(group_roles={}))
    with pytest.raises(ldap_auth.DirectoryMisconfigured):
        ldap_auth.check_settings(config(service_dn="", bind_pattern="cn=fixed"))
    ldap_auth.check_settings(ldap_auth.DirectoryConfig())  # empty: directory off, nothing to check


def test_settings_round_trip_through_the_settings_file():
    from app.config import Settings

    settings = Settings(ldap=config().to_dict())
    settings.save()
    assert ldap_auth.DirectoryConfig.from_settings(Settings.load()) == config()

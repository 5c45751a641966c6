

def test_lifting_a_suspension_and_revoking_for_good(client, app, tokens):
    sign_in(client, tokens["examinator"])
    credential = redeem(client, *offer_parts(offered(client, csrf(client))))
    path = f"/desk/issued/{credential['id']}"
    for action, state in (("suspend", "Geschorst"), ("unsuspend", "Geldig"), ("revoke", "Ingetrokken")):
        response = client.post(path, data={"csrf": csrf(client, path), "action": action, "reason": f"reden {action}"},
                               **HTTPS)
        assert response.status_code == 200 and f'id="state">{state}<' in response.get_data(as_text=True)
    page = client.get(path, **HTTPS).get_data(as_text=True)
    assert "definitief" in page and 'id="status-form"' not in page  # a revoked credential stays revoked
    assert [(entry.action, entry.actor) for entry in audit(app, "unsuspend") + audit(app, "revoke")] == [
        ("unsuspend", "examinator-staff"), ("revoke", "examinator-staff")]
    listing = client.get("/desk/issued", **HTTPS).get_data(as_text=True)
    assert "Ingetrokken" in listing


def test_an_admin_sees_both_forms_and_everything_issued(client, tokens):
    sign_in(client, tokens["admin"])
    page = client.get("/desk/new", **HTTPS).get_data(as_text=True)
    assert 'id="kind-examiner"' in page and 'id="kind-module"' in page
    assert 'value="vrh:tillift-gebruiken"' in page
    module = client.get("/desk/new?kind=module", **HTTPS).get_data(as_text=True)
    assert 'name="outcomes"' in module and 'name="procedure"' not in module

"""The inquiry form helps the buyer who is correcting it: an error and its red border go
as soon as the field holds something that can pass, and what was typed stays."""

import pytest

pytestmark = pytest.mark.browser


def error_shown(page, name):
    return page.evaluate(
        """name => {
          const input = document.querySelector(`form[data-inquiry-form=page] [name=${name}]`);
          const error = document.querySelector(`form[data-inquiry-form=page] [data-error-for=${name}]`);
          return {invalid: input.getAttribute('aria-invalid') === 'true',
                  red: input.closest('.field').classList.contains('field--invalid'),
                  visible: !error.hidden && error.textContent.trim() !== ''};
        }""",
        name,
    )


def test_an_error_disappears_once_the_field_is_corrected(browser, pages):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(pages["inquiry page"])
        form = page.locator("form[data-inquiry-form=page]")
        form.locator("[name=message]").fill("Twenty DN100 gate valves to Almaty, please.")
        form.locator("[name=contact]").fill("not an address")
        form.locator("[data-inquiry-submit], button[type=submit]").last.click()
        page.wait_for_load_state()
        for name in ("name", "contact"):
            assert error_shown(page, name) == {"invalid": True, "red": True, "visible": True}
        # What the buyer typed came back with the errors.
        assert form.locator("[name=message]").input_value().startswith("Twenty DN100")

        form.locator("[name=name]").fill("Aigerim")
        assert error_shown(page, "name") == {"invalid": False, "red": False, "visible": False}

        form.locator("[name=contact]").fill("still not one")  # still cannot pass: kept
        assert error_shown(page, "contact")["visible"]
        form.locator("[name=contact]").fill("aigerim@example.kz")
        form.locator("[name=contact]").blur()
        assert error_shown(page, "contact") == {"invalid": False, "red": False, "visible": False}
        assert form.locator("[name=contact]").input_value() == "aigerim@example.kz"
    finally:
        context.close()

"""The lead inbox in the Wagtail admin, split by job:

- `permissions`: who may see and change leads (403, never a redirect);
- `forms`: the forms of the lead page, the bulk actions and the assignment rules;
- `listing`: the inbox listing (filters, search, export) and its bulk actions;
- `lead`: one lead's page and the small views that change it (status, assignee, note,
  spam flag, resending an e-mail);
- `contact`: the privacy actions on a buyer (export, erase);
- `viewsets`: the URLs of all of them, registered by wagtail_hooks.py.

Every inbox URL needs the `inquiries.view_inquiry` permission (the "Sales" group has it);
without it the answer is 403, not a redirect, so a leaked link shows nothing."""

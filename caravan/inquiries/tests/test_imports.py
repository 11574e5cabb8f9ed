"""The inquiries app's modules import one another in one direction: no circles, which make
the order of imports matter and hide where a change reaches (e.g. a model that imports the
assignment rules that import the model)."""

import grimp


def test_the_inquiries_modules_import_one_another_without_circles():
    graph = grimp.build_graph("caravan")
    modules = {
        module
        for module in graph.find_descendants("caravan.inquiries")
        if ".tests" not in module and ".migrations" not in module
    }
    circles = sorted(
        (importer, imported)
        for importer in modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported in modules and graph.chain_exists(importer=imported, imported=importer)
    )
    assert circles == []

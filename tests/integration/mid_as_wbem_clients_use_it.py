#!/usr/bin/env python3
"""mid driven as pywbem and pywbemcli drive a WBEM server, over CIM-XML, the interop
namespace included (pywbem's WBEMServer: interop_ns, namespaces, brand, version, profiles,
create_namespace, delete_namespace).

usage: mid_as_wbem_clients_use_it.py PORT
The server holds the sample datacenter model in root/cimv2. Prints each failure and
exits 1 when there is one.
"""
import sys

from cimxml_client import (CIMError, Client, ET, Xml, classname, instance, instancename,
                           keybindings, named_instance, properties)

failures = []


def check(what, condition, detail=""):
    if not condition:
        failures.append(f"{what}: {detail}")
        print(f"FAIL: {what}: {detail}")


c = Client(f"http://127.0.0.1:{sys.argv[1]}")
NS = "root/cimv2"
web1 = {"CreationClassName": "CIM_ComputerSystem", "Name": "web1"}

# DeepInheritance=False (pywbemcli's default) limits the properties, not the instances
for method in ("EnumerateInstances",):
    r = c.call(method, NS, ClassName=classname("CIM_LogicalDevice"), DeepInheritance=False)
    found = r.findall("VALUE.NAMEDINSTANCE")
    check("EnumerateInstances DeepInheritance=False", len(found) == 8, f"{len(found)} instances")
    disks = [n for n in found if n.find("INSTANCE").get("CLASSNAME") == "CIM_DiskDrive"]
    check("subclass instances come back", len(disks) == 5, f"{len(disks)} disks")
    names = {p.get("NAME") for p in disks[0].find("INSTANCE")} if disks else set()
    check("only the properties of the class asked for", "MaxMediaSize" not in names, names)
    check("keys of the class asked for stay", "DeviceID" in names, names)
r = c.call("EnumerateInstances", NS, ClassName=classname("CIM_ManagedElement"), DeepInheritance=False)
check("CIM_ManagedElement shallow-property enumeration", len(r) == 28, f"{len(r)} instances")
r = c.call("OpenEnumerateInstances", NS, ClassName=classname("CIM_LogicalDevice"),
           DeepInheritance=False, MaxObjectCount=100)
check("OpenEnumerateInstances DeepInheritance=False", len(r.findall("VALUE.INSTANCEWITHPATH")) == 8,
      ET.tostring(r)[:200])

# an empty PropertyList: no property but the keys, in every operation
r = c.call("GetInstance", NS, InstanceName=instancename("CIM_ComputerSystem", web1), PropertyList=[])
got = set(properties(r.find("INSTANCE")))
check("GetInstance PropertyList=[]", got == {"CreationClassName", "Name"}, got)
r = c.call("EnumerateInstances", NS, ClassName=classname("CIM_ComputerSystem"), PropertyList=[])
got = {frozenset(properties(n.find("INSTANCE"))) for n in r}
check("EnumerateInstances PropertyList=[]", got == {frozenset({"CreationClassName", "Name"})}, got)
r = c.call("OpenEnumerateInstances", NS, ClassName=classname("CIM_ComputerSystem"), PropertyList=[],
           MaxObjectCount=100)
got = {frozenset(properties(n.find("INSTANCE"))) for n in r.findall("VALUE.INSTANCEWITHPATH")}
check("OpenEnumerateInstances PropertyList=[]", got == {frozenset({"CreationClassName", "Name"})}, got)
r = c.call("Associators", NS, ObjectName=instancename("CIM_ComputerSystem", web1),
           AssocClass=classname("CIM_SystemDevice"), ResultClass=classname("CIM_DiskDrive"),
           PropertyList=[])
got = [set(properties(o.find("INSTANCE"))) for o in r]
check("Associators PropertyList=[]",
      got == [{"SystemCreationClassName", "SystemName", "CreationClassName", "DeviceID"}], got)
r = c.call("GetClass", NS, ClassName=classname("CIM_ComputerSystem"), LocalOnly=False, PropertyList=[])
got = {p.get("NAME") for p in r.find("CLASS") if p.tag.startswith("PROPERTY")}
check("GetClass PropertyList=[]", got == {"CreationClassName", "Name"}, got)
r = c.call("GetInstance", NS, InstanceName=instancename("CIM_ComputerSystem", web1),
           PropertyList=["PrimaryOwnerName"])
got = set(properties(r.find("INSTANCE")))
check("GetInstance PropertyList=[PrimaryOwnerName]", got == {"CreationClassName", "Name", "PrimaryOwnerName"}, got)

# ModifyInstance as pywbem sends it: the keys in the instance name only; PropertyList honoured
sw = {"InstanceID": "software:nginx:1.22.1"}
name = instancename("CIM_SoftwareIdentity", sw)
c.call("ModifyInstance", NS, ModifiedInstance=named_instance(
    name, instance("CIM_SoftwareIdentity", {"VersionString": ("string", "1.24.0")})))
r = c.call("GetInstance", NS, InstanceName=name)
p = properties(r.find("INSTANCE"))
check("ModifyInstance without keys in the body", p.get("VersionString") == "1.24.0", p)
check("ModifyInstance leaves what it was not given", p.get("Manufacturer") == "nginx", p)
c.call("ModifyInstance", NS, PropertyList=["ElementName"], ModifiedInstance=named_instance(
    name, instance("CIM_SoftwareIdentity", {"VersionString": ("string", "9.9"),
                                            "ElementName": ("string", "nginx web server")})))
p = properties(c.call("GetInstance", NS, InstanceName=name).find("INSTANCE"))
check("ModifyInstance PropertyList: the listed property changes", p.get("ElementName") == "nginx web server", p)
check("ModifyInstance PropertyList: the others do not", p.get("VersionString") == "1.24.0", p)
c.call("ModifyInstance", NS, PropertyList=[], ModifiedInstance=named_instance(
    name, instance("CIM_SoftwareIdentity", {"VersionString": ("string", "0")})))
p = properties(c.call("GetInstance", NS, InstanceName=name).find("INSTANCE"))
check("ModifyInstance PropertyList=[] changes nothing", p.get("VersionString") == "1.24.0", p)
c.call("ModifyInstance", NS, PropertyList=["Manufacturer"], ModifiedInstance=named_instance(
    name, instance("CIM_SoftwareIdentity", {})))
p = properties(c.call("GetInstance", NS, InstanceName=name).find("INSTANCE"))
check("a listed property not given becomes NULL", p.get("Manufacturer") is None, p)
try:
    c.call("ModifyInstance", NS, ModifiedInstance=named_instance(
        instancename("CIM_SoftwareIdentity", {"InstanceID": "absent"}),
        instance("CIM_SoftwareIdentity", {"VersionString": ("string", "1")})))
    check("ModifyInstance of a missing instance", False, "succeeded")
except CIMError as e:
    check("ModifyInstance of a missing instance is NOT_FOUND", e.code == 6, e)

# what mid does not do is a CIM error a client can handle, not an HTTP failure
for method, params in (("NoSuchOperation", {}),):
    try:
        c.call(method, NS, **params)
        check(f"{method} answers", False, "succeeded")
    except CIMError as e:
        check(f"{method} is CIM_ERR_NOT_SUPPORTED", e.code == 7, e)

# ExecQuery: the disks WQL selects, as VALUE.OBJECTWITHPATH; a malformed query and an
# unknown language are the CIM errors DSP0200 names for them
r = c.call("ExecQuery", NS, QueryLanguage="WQL",
           Query="SELECT DeviceID FROM CIM_DiskDrive WHERE DeviceID LIKE 's%'")
found = r.findall(".//VALUE.OBJECTWITHPATH")
check("ExecQuery finds disks", len(found) >= 1, ET.tostring(r)[:300])
for o in found:
    device = [p for p in o.iter("PROPERTY") if p.get("NAME") == "DeviceID"]
    check("ExecQuery's LIKE", device and device[0].findtext("VALUE", "").startswith("s"),
          ET.tostring(o)[:300])
# OpenQueryInstances and PullInstances: the same disks, one INSTANCE at a time
rsp = c.call_whole("OpenQueryInstances", NS, FilterQueryLanguage="WQL",
                   FilterQuery="SELECT DeviceID FROM CIM_DiskDrive WHERE DeviceID LIKE 's%'",
                   MaxObjectCount=1)
pulled = len(rsp.find("IRETURNVALUE").findall("INSTANCE"))
def output(rsp, name):
    return next((p.findtext("VALUE") for p in rsp.findall("PARAMVALUE") if p.get("NAME") == name), None)
for _ in range(100):
    if output(rsp, "EndOfSequence") == "TRUE":
        break
    rsp = c.call_whole("PullInstances", NS, EnumerationContext=output(rsp, "EnumerationContext"),
                       MaxObjectCount=1)
    pulled += len(rsp.find("IRETURNVALUE").findall("INSTANCE"))
check("OpenQueryInstances and PullInstances give what ExecQuery gives", pulled == len(found),
      f"{pulled} pulled, {len(found)} from ExecQuery")
for query, language, code in (("SELECT * FORM CIM_DiskDrive", "WQL", 15),
                              ("SELECT * FROM CIM_DiskDrive", "XQL", 14)):
    try:
        c.call("ExecQuery", NS, QueryLanguage=language, Query=query)
        check(f"ExecQuery {query!r} in {language} refused", False, "succeeded")
    except CIMError as e:
        check(f"ExecQuery {query!r} in {language} is CIM error {code}", e.code == code, e)
    except RuntimeError as e:
        check(f"{method} is a CIM error", False, e)


def expect_error(what, code, method, ns=NS, **params):
    try:
        c.call(method, ns, **params)
        check(what, False, "succeeded")
    except CIMError as e:
        check(f"{what}: code {code}", e.code == code, e)


# qualifier types: set, get, enumerate, delete
decl = Xml('<QUALIFIER.DECLARATION NAME="Colour" TYPE="string" TOSUBCLASS="false">'
           '<SCOPE CLASS="true" PROPERTY="true"/><VALUE>blue</VALUE></QUALIFIER.DECLARATION>')
c.call("SetQualifier", NS, QualifierDeclaration=decl)
q = c.call("GetQualifier", NS, QualifierName="Colour").find("QUALIFIER.DECLARATION")
check("GetQualifier", q is not None and q.get("TYPE") == "string" and q.get("TOSUBCLASS") == "false"
      and q.find("VALUE").text == "blue" and q.find("SCOPE").get("PROPERTY") == "true",
      ET.tostring(q) if q is not None else None)
names = [d.get("NAME") for d in c.call("EnumerateQualifiers", NS)]
check("EnumerateQualifiers", "Colour" in names, names)
c.call("DeleteQualifier", NS, QualifierName="Colour")
expect_error("GetQualifier of a deleted one", 6, "GetQualifier", QualifierName="Colour")
expect_error("DeleteQualifier of a missing one", 6, "DeleteQualifier", QualifierName="Colour")

# classes: create, modify, delete, with DSP0200's error codes
new_class = Xml('<CLASS NAME="Gadget"><QUALIFIER NAME="Description" TYPE="string"><VALUE>a thing'
                '</VALUE></QUALIFIER><PROPERTY NAME="Id" TYPE="string"><QUALIFIER NAME="Key" '
                'TYPE="boolean"><VALUE>TRUE</VALUE></QUALIFIER></PROPERTY>'
                '<PROPERTY NAME="Size" TYPE="uint32"/></CLASS>')
c.call("CreateClass", NS, NewClass=new_class)
got = c.call("GetClass", NS, ClassName=classname("Gadget"), LocalOnly=False).find("CLASS")
check("CreateClass then GetClass", got is not None and
      {p.get("NAME") for p in got if p.tag == "PROPERTY"} == {"Id", "Size"}, ET.tostring(got)[:200])
expect_error("CreateClass of an existing class", 11, "CreateClass", NewClass=new_class)
expect_error("CreateClass on a missing superclass", 10, "CreateClass",
             NewClass=Xml('<CLASS NAME="Orphan" SUPERCLASS="Nowhere"/>'))
c.call("CreateInstance", NS, NewInstance=instance("Gadget", {"Id": ("string", "g1"),
                                                              "Size": ("uint32", "3")}))
c.call("ModifyClass", NS, ModifiedClass=Xml(
    '<CLASS NAME="Gadget"><PROPERTY NAME="Id" TYPE="string"><QUALIFIER NAME="Key" TYPE="boolean">'
    '<VALUE>TRUE</VALUE></QUALIFIER></PROPERTY><PROPERTY NAME="Size" TYPE="uint32"/>'
    '<PROPERTY NAME="Colour" TYPE="string"/></CLASS>'))
p = properties(c.call("GetInstance", NS, InstanceName=instancename("Gadget", {"Id": "g1"})).find("INSTANCE"))
check("ModifyClass keeps the instances, with the new property", p.get("Size") == "3" and "Colour" in p, p)
expect_error("ModifyClass that does not fit a stored instance", 9, "ModifyClass", ModifiedClass=Xml(
    '<CLASS NAME="Gadget"><PROPERTY NAME="Id" TYPE="string"><QUALIFIER NAME="Key" TYPE="boolean">'
    '<VALUE>TRUE</VALUE></QUALIFIER></PROPERTY><PROPERTY NAME="Size" TYPE="string"/></CLASS>'))
expect_error("ModifyClass of a missing class", 6, "ModifyClass",
             ModifiedClass=Xml('<CLASS NAME="Absent"/>'))
expect_error("DeleteClass with instances", 9, "DeleteClass", ClassName=classname("Gadget"))
c.call("DeleteInstance", NS, InstanceName=instancename("Gadget", {"Id": "g1"}))
c.call("CreateClass", NS, NewClass=Xml('<CLASS NAME="SmallGadget" SUPERCLASS="Gadget"/>'))
expect_error("DeleteClass with subclasses", 8, "DeleteClass", ClassName=classname("Gadget"))
c.call("DeleteClass", NS, ClassName=classname("SmallGadget"))
c.call("DeleteClass", NS, ClassName=classname("Gadget"))
expect_error("GetClass of a deleted class", 6, "GetClass", ClassName=classname("Gadget"))

for keys in (web1, None):
    try:
        c.invoke(NS, "CIM_ComputerSystem", "RequestStateChange", keys)
        check("InvokeMethod answers", False, "succeeded")
    except CIMError as e:
        # the sample's class declares no such method (CIM_ERR_METHOD_NOT_FOUND)
        check("InvokeMethod of an undeclared method", e.code == 17, e)
    except RuntimeError as e:
        check("InvokeMethod is a CIM error", False, e)

# a METHODCALL that names no instance or class: a CIM error saying so, not a crash
body = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
        '<MESSAGE ID="9" PROTOCOLVERSION="1.0"><SIMPLEREQ><METHODCALL NAME="Go">'
        '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>'
        '<PARAMVALUE NAME="Level" PARAMTYPE="uint32"><VALUE>1</VALUE></PARAMVALUE>'
        '</METHODCALL></SIMPLEREQ></MESSAGE></CIM>')
status, data = c.post("Go", body, {"CIMObject": "root%2Fcimv2"})
err = ET.fromstring(data).find("MESSAGE/SIMPLERSP/METHODRESPONSE/ERROR") if status == 200 else None
check("METHODCALL without a target is CIM_ERR_INVALID_PARAMETER",
      err is not None and err.get("CODE") == "4" and "names no instance or class" in err.get("DESCRIPTION", ""),
      f"HTTP {status} {data[:300]!r}")

# returned paths and properties carry the class's spelling, not the request's
lower = {"creationclassname": "CIM_ComputerSystem", "name": "web1"}
r = c.call("GetInstance", NS, InstanceName=instancename("cim_computersystem", lower))
check("GetInstance spelling", r.find("INSTANCE").get("CLASSNAME") == "CIM_ComputerSystem" and
      "CreationClassName" in properties(r.find("INSTANCE")), ET.tostring(r)[:200])
for method in ("AssociatorNames", "ReferenceNames"):
    r = c.call(method, NS, ObjectName=instancename("cim_computersystem", lower))
    names = [o.find("INSTANCEPATH/INSTANCENAME") for o in r]
    bad = [ET.tostring(n)[:160] for n in names
           if any(k.islower() for k in keybindings(n)) or n.get("CLASSNAME").islower()]
    check(f"{method} spelling", names and not bad, bad)
r = c.call("CreateInstance", NS, NewInstance=instance("cim_softwareidentity",
                                                     {"instanceid": ("string", "spelling:1")}))
n = r.find("INSTANCENAME")
check("CreateInstance returns the class's spelling",
      n.get("CLASSNAME") == "CIM_SoftwareIdentity" and list(keybindings(n)) == ["InstanceID"],
      ET.tostring(n))
r = c.call("OpenEnumerateInstancePaths", NS, ClassName=classname("cim_diskdrive"), MaxObjectCount=10)
paths = r.findall("INSTANCEPATH/INSTANCENAME")
check("OpenEnumerateInstancePaths spelling", paths and all(
    p.get("CLASSNAME") == "CIM_DiskDrive" and "DeviceID" in keybindings(p) for p in paths),
    [ET.tostring(p)[:120] for p in paths[:1]])

# the interop namespace, as pywbem's WBEMServer finds it: nothing compiled by hand
I = "root/interop"
for ns in ("interop", "root/interop"):  # WBEMServer.INTEROP_NAMESPACES, in order
    try:
        names = c.call("EnumerateInstanceNames", ns, ClassName=classname("CIM_Namespace"))
        break
    except CIMError as e:
        check(f"{ns}: only a missing namespace sends WBEMServer on", e.code == 3, e)
check("interop namespace found", ns == "root/interop", ns)
namespaces = sorted(keybindings(n)["Name"] for n in names)
check("a CIM_Namespace per namespace", namespaces == ["root/cimv2", "root/interop"], namespaces)
oms = c.call("EnumerateInstances", I, ClassName=classname("CIM_ObjectManager"))
check("one CIM_ObjectManager", len(oms) == 1, len(oms))
om = properties(oms[0].find("INSTANCE")) if len(oms) else {}
check("brand", om.get("ElementName") == "libmi", om)
desc = om.get("Description") or ""
import re
m = re.match(r"^.* (?:version|release) *(.+)?$", desc, re.IGNORECASE)  # WBEMServer's version rule
check("version", m and re.match(r"^[0-9]+\.[0-9]+", m.group(1)), desc)
om_name = oms[0].find("INSTANCENAME") if len(oms) else None
profiles = c.call("EnumerateInstances", I, ClassName=classname("CIM_RegisteredProfile"))
regs = {(properties(p.find("INSTANCE"))["RegisteredOrganization"],
         properties(p.find("INSTANCE"))["RegisteredName"]) for p in profiles}
check("registered profiles", regs == {("11", "Server"), ("2", "Profile Registration")}, regs)
server = [p.find("INSTANCENAME") for p in profiles
          if properties(p.find("INSTANCE"))["RegisteredName"] == "Server"]
if server:
    central = c.call("AssociatorNames", I, ObjectName=Xml(ET.tostring(server[0]).decode()),
                     AssocClass=classname("CIM_ElementConformsToProfile"),
                     ResultRole="ManagedElement")
    classes = [o.find("INSTANCEPATH/INSTANCENAME").get("CLASSNAME") for o in central]
    check("the Server profile's central instance is the object manager",
          classes == ["CIM_ObjectManager"], classes)
    referenced = c.call("AssociatorNames", I, ObjectName=Xml(ET.tostring(server[0]).decode()),
                        AssocClass=classname("CIM_ReferencedProfile"))
    check("the Server profile references Profile Registration", len(referenced) == 1, len(referenced))
if om_name is not None:
    on = Xml(ET.tostring(om_name).decode())
    managed = c.call("AssociatorNames", I, ObjectName=on, AssocClass=classname("CIM_NamespaceInManager"))
    check("the object manager holds the namespaces", len(managed) == 2, len(managed))
    host = c.call("Associators", I, ObjectName=on, AssocClass=classname("CIM_HostedService"))
    check("the object manager's host", len(host) == 1 and
          host[0].find("INSTANCE").get("CLASSNAME") == "CIM_ComputerSystem", ET.tostring(host)[:200])
    got = c.call("GetInstance", I, InstanceName=on)
    check("GetInstance of the object manager", properties(got.find("INSTANCE")).get("Name") == om.get("Name"), om)
    try:
        c.call("ModifyInstance", I, ModifiedInstance=named_instance(
            on, instance("CIM_ObjectManager", {"ElementName": ("string", "other")})))
        check("the object manager cannot be modified", False, "it was")
    except CIMError as e:
        check("modifying the object manager is NOT_SUPPORTED", e.code == 7, e)
# namespaces made and deleted as pywbem's WBEMServer.create_namespace/delete_namespace do
new_ns = instance("CIM_Namespace", {
    "Name": ("string", "root/made"), "CreationClassName": ("string", "CIM_Namespace"),
    "ObjectManagerName": ("string", om.get("Name")),
    "ObjectManagerCreationClassName": ("string", "CIM_ObjectManager"),
    "SystemName": ("string", om.get("SystemName")),
    "SystemCreationClassName": ("string", "CIM_ComputerSystem")})
made = c.call("CreateInstance", I, NewInstance=new_ns).find("INSTANCENAME")
names = [keybindings(n)["Name"] for n in
         c.call("EnumerateInstanceNames", I, ClassName=classname("CIM_Namespace"))]
check("a created CIM_Namespace makes the namespace", "root/made" in names, names)
check("the new namespace answers", len(c.call("EnumerateClassNames", "root/made")) == 0)
try:
    c.call("CreateInstance", I, NewInstance=new_ns)
    check("a namespace made twice", False, "succeeded")
except CIMError as e:
    check("a namespace made twice is ALREADY_EXISTS", e.code == 11, e)
c.call("DeleteInstance", I, InstanceName=Xml(ET.tostring(made).decode()))
try:
    c.call("EnumerateClassNames", "root/made")
    check("a deleted namespace is gone", False, "it answers")
except CIMError as e:
    check("a deleted namespace is INVALID_NAMESPACE", e.code == 3, e)
cimv2 = [n for n in c.call("EnumerateInstanceNames", I, ClassName=classname("CIM_Namespace"))
         if keybindings(n)["Name"] == "root/cimv2"]
for n, code, what in ((cimv2[0] if cimv2 else None, 20, "a namespace with classes"),):
    try:
        c.call("DeleteInstance", I, InstanceName=Xml(ET.tostring(n).decode()))
        check(f"deleting {what}", False, "succeeded")
    except CIMError as e:
        check(f"deleting {what} is NAMESPACE_NOT_EMPTY", e.code == code, e)
check("root/cimv2 still answers", len(c.call("EnumerateClassNames", NS)) > 0)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

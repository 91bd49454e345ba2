<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../actions.py" line="27" />
        <source>Search catalog</source>
        <translation>搜索事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="29" />
        <source>Jump to the catalog search box</source>
        <translation>转到事项搜索框</translation>
    </message>
    <message>
        <location filename="../actions.py" line="33" />
        <source>New intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="35" />
        <source>Start an intake for the item shown</source>
        <translation>为当前事项新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="39" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../actions.py" line="41" />
        <source>Refresh the catalog and send queued cases now</source>
        <translation>立即更新事项目录并上报待发送办件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="45" />
        <source>Catalog quality…</source>
        <translation>目录质量检查…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="47" />
        <source>Items that miss required standard fields</source>
        <translation>列出缺少标准要素的事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="49" />
        <source>Next area</source>
        <translation>下一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="50" />
        <source>Previous area</source>
        <translation>上一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="51" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <location filename="../catalog/browser.py" line="56" />
        <source>Item name, code or pinyin initials (Ctrl+F)</source>
        <translation>事项名称、编码或拼音首字母（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="60" />
        <source>Loading the catalog…</source>
        <translation>正在加载事项目录…</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="83" />
        <source>Take in an application for this item (Ctrl+N)</source>
        <translation>受理此事项（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="128" />
        <source>No item matches “%1”.</source>
        <translation>没有与“%1”匹配的事项。</translation>
    </message>
    <message numerus="yes">
        <location filename="../catalog/browser.py" line="130" />
        <source>%n item(s) found</source>
        <translation><numerusform>找到 %n 个事项</numerusform></translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="136" />
        <source>Type to search the catalog.</source>
        <translation>输入名称、编码或拼音首字母搜索事项。</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="142" />
        <source>The catalog could not be loaded: %1</source>
        <translation>事项目录无法加载：%1</translation>
    </message>
</context>
<context>
    <name>CatalogHitsModel</name>
    <message>
        <location filename="../catalog/hits_model.py" line="27" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="28" />
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="29" />
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="30" />
        <source>Match</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="35" />
        <location filename="../catalog/hits_model.py" line="36" />
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="37" />
        <source>code prefix</source>
        <translation>编码前缀</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="38" />
        <location filename="../catalog/hits_model.py" line="42" />
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="39" />
        <location filename="../catalog/hits_model.py" line="40" />
        <source>pinyin initials</source>
        <translation>拼音首字母</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="41" />
        <source>pinyin</source>
        <translation>全拼</translation>
    </message>
</context>
<context>
    <name>GuiSession</name>
    <message>
        <location filename="../application.py" line="73" />
        <source>The local database could not be opened:
%1</source>
        <translation>本地数据库无法打开：
%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="75" />
        <source>OneWindow</source>
        <translation>一窗受理</translation>
    </message>
    <message>
        <location filename="../application.py" line="110" />
        <source>The local hall did not start: %1</source>
        <translation>本地网上大厅未能启动：%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="141" />
        <source>Catalog is up to date.</source>
        <translation>事项目录已是最新。</translation>
    </message>
    <message>
        <location filename="../application.py" line="147" />
        <source>Catalog sync failed; the cached catalog stays in use (%1)</source>
        <translation>目录同步失败，继续使用本地缓存目录（%1）</translation>
    </message>
</context>
<context>
    <name>ItemDetail</name>
    <message>
        <location filename="../catalog/item_detail.py" line="78" />
        <source>not specified</source>
        <translation>未规定</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="80" />
        <source>working days</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="81" />
        <source>calendar days</source>
        <translation>个自然日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="90" />
        <source>conditional</source>
        <translation>视情形提交</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="94" />
        <source>required</source>
        <translation>必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="96" />
        <source>optional</source>
        <translation>非必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="102" />
        <source>paper</source>
        <translation>纸质</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="103" />
        <source>electronic</source>
        <translation>电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="104" />
        <source>paper and electronic</source>
        <translation>纸质和电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="110" />
        <source>applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="111" />
        <source>government</source>
        <translation>政府部门核发</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="112" />
        <source>intermediary</source>
        <translation>中介机构</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="135" />
        <source>No materials listed</source>
        <translation>未列出申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="142" />
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="143" />
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="144" />
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="145" />
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="146" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="147" />
        <source>E-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="148" />
        <source>Blank form</source>
        <translation>空白表格</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="185" />
        <source>Free of charge</source>
        <translation>不收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="195" />
        <source>Fee</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="196" />
        <source>Standard</source>
        <translation>收费标准</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="197" />
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="198" />
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="207" />
        <source>This item is not active</source>
        <translation>该事项当前不可办理</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="215" />
        <source>immediate case</source>
        <translation>即办件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="216" />
        <source>promised case</source>
        <translation>承诺件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="222" />
        <source>Implementing code</source>
        <translation>实施编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="223" />
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="224" />
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="226" />
        <source>Item type</source>
        <translation>事项类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="229" />
        <source>Case type</source>
        <translation>办件类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="231" />
        <source>Legal time limit</source>
        <translation>法定办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="234" />
        <source>Promised time limit</source>
        <translation>承诺办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="238" />
        <source>Star level</source>
        <translation>星级</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="243" />
        <source>Authentication level</source>
        <translation>认证级别</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="247" />
        <source>Visits to the centre</source>
        <translation>到现场次数</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="249" />
        <source>Online depth</source>
        <translation>网上办理深度</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="250" />
        <source>Served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="251" />
        <source>Version</source>
        <translation>事项版本</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="256" />
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="257" />
        <source>Address</source>
        <translation>办理地点</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="258" />
        <source>Office hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="259" />
        <source>Contact</source>
        <translation>咨询方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="260" />
        <source>Complaints</source>
        <translation>监督投诉</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="264" />
        <source>Conditions</source>
        <translation>受理条件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="265" />
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="266" />
        <source>Process</source>
        <translation>办理流程</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="267" />
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="268" />
        <source>Where and how</source>
        <translation>办理地点与方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="290" />
        <source>Type in the search box (Ctrl+F), choose an item with the arrow keys and press Enter.</source>
        <translation>在搜索框中输入（Ctrl+F），用方向键选择事项，按回车打开。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="32" />
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="53" />
        <source>OneWindow — %1 · %2</source>
        <translation>一窗受理工作站 — %1 · %2</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="81" />
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="86" />
        <source>&amp;Catalog</source>
        <translation>目录(&amp;C)</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status_bar.py" line="40" />
        <source>never updated</source>
        <translation>从未更新</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="43" />
        <source>updated just now</source>
        <translation>刚刚更新</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="45" />
        <source>updated %n minute(s) ago</source>
        <translation><numerusform>%n 分钟前更新</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="47" />
        <source>updated %n hour(s) ago</source>
        <translation><numerusform>%n 小时前更新</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="48" />
        <source>updated %n day(s) ago</source>
        <translation><numerusform>%n 天前更新</numerusform></translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="54" />
        <source>No catalog yet</source>
        <translation>尚无事项目录</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="57" />
        <source>Catalog version %1</source>
        <translation>目录版本 %1</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="65" />
        <source>Checking hall…</source>
        <translation>正在检测网上大厅…</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="66" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="66" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
</TS>